import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveTool } from "../../../test/support/system-tools.js";
import { download } from "../src/download.js";

const linux = process.platform === "linux";
const haveXz = haveTool("xz", "xz");

/** This process's children, from the process table (Linux /proc). */
function children(): { pid: number; comm: string; state: string }[] {
  const found: { pid: number; comm: string; state: string }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // Gone while we looked.
    }
    // pid (comm) state ppid ...; comm may hold spaces and parentheses.
    const close = stat.lastIndexOf(")");
    const [state = "?", ppid] = stat.slice(close + 2).split(" ");
    if (Number(ppid) === process.pid)
      found.push({ pid: Number(entry), comm: stat.slice(stat.indexOf("(") + 1, close), state });
  }
  return found;
}

/** Whether a process is still in the table, running or a zombie nobody reaped. */
const inTable = (pid: number) => existsSync(`/proc/${pid}`);

async function until<T>(what: string, get: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const payload = randomBytes(4 * 2 ** 20);
const xz = haveXz
  ? execFileSync("xz", ["-c", "-0"], { input: payload, maxBuffer: 64 * 2 ** 20 })
  : Buffer.alloc(0);
const gz = gzipSync(payload);
let server: Server;
let base = "";
/** Requests held half-sent until the test lets them drop. */
const held: (() => void)[] = [];
const dir = mkdtempSync(join(tmpdir(), "minos-download-test-"));

beforeAll(async () => {
  server = createServer((req, res) => {
    const [route, kind] = (req.url ?? "").slice(1).split(".");
    const body = kind === "xz" ? xz : gz;
    if (route === "whole") return res.writeHead(200, { "content-length": body.length }).end(body);
    if (route === "garbage") {
      const junk = randomBytes(512 * 1024);
      return res.writeHead(200, { "content-length": junk.length }).end(junk);
    }
    // "dropped": half the body, then the connection is cut when the test says so.
    res.writeHead(200, { "content-length": body.length });
    res.write(body.subarray(0, body.length / 2));
    held.push(() => res.socket?.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const drop of held.splice(0)) drop();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts a download, finds the decompressor it spawned in the process table,
 * cuts the connection, and returns the child's pid once the download failed.
 */
async function failMidway(kind: "xz" | "gz", started = children()) {
  const before = new Set(started.map((c) => c.pid));
  const target = join(dir, `out-${Math.random()}`);
  const failed = download(`${base}/dropped.${kind}`, target, "sha256", kind).then(
    () => undefined,
    (e: unknown) => e,
  );
  const child = await until("the decompressor to start", () =>
    children().find((c) => !before.has(c.pid)),
  );
  // It is working on the first half, and has not given up on its own.
  await until("the first half to be delivered", () => (held.length > 0 ? true : undefined));
  expect(inTable(child.pid)).toBe(true);
  held.shift()?.();
  const error = await failed;
  return { child, error };
}

describe.skipIf(!linux)("a failed download leaves no child behind", () => {
  it.skipIf(!haveXz)("xz, when the server drops the connection midway", async () => {
    const { child, error } = await failMidway("xz");
    expect(child.comm).toBe("xz");
    expect(error).toBeInstanceOf(Error);
    // The moment the download reports failure, its child is gone: killed and reaped.
    expect(inTable(child.pid)).toBe(false);
    expect(children()).toEqual([]);
  });

  it("gzip, when the server drops the connection midway", async () => {
    const { child, error } = await failMidway("gz");
    expect(child.comm).toBe("gzip");
    expect(error).toBeInstanceOf(Error);
    expect(inTable(child.pid)).toBe(false);
    expect(children()).toEqual([]);
  });

  /** Puts a stand-in `gzip` first on PATH for `fn`: any child that would outlive the download. */
  async function withFakeGzip<T>(script: string, fn: () => Promise<T>): Promise<T> {
    const bin = mkdtempSync(join(tmpdir(), "minos-stubborn-"));
    writeFileSync(join(bin, "gzip"), `#!/bin/sh\ntrap '' TERM INT HUP PIPE\n${script}\n`);
    chmodSync(join(bin, "gzip"), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      return await fn();
    } finally {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
    }
  }

  it("a decompressor that outlives end of input and ignores SIGTERM is killed all the same", async () => {
    await withFakeGzip("cat > /dev/null\nexec sleep 600", async () => {
      const { child, error } = await failMidway("gz");
      expect(error).toBeInstanceOf(Error);
      expect(inTable(child.pid)).toBe(false);
      expect(children()).toEqual([]);
    });
  });

  it("a decompressor that stops reading: the stalled download times out, and it is killed", async () => {
    await withFakeGzip("exec sleep 600", async () => {
      const before = new Set(children().map((c) => c.pid));
      const started = Date.now();
      const failed = download(`${base}/whole.gz`, join(dir, "stalled"), "sha256", "gz", () => {}, {
        idleTimeoutMs: 500,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const child = await until("the decompressor to start", () =>
        children().find((c) => !before.has(c.pid)),
      );
      expect(await failed).toMatchObject({ message: expect.stringMatching(/no data for 0\.5 s/) });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(inTable(child.pid)).toBe(false);
      expect(children()).toEqual([]);
    });
  });

  it.skipIf(!haveXz)(
    "xz, when the server sends garbage: its own error, and it is gone",
    async () => {
      const target = join(dir, "garbage");
      await expect(download(`${base}/garbage.xz`, target, "sha256", "xz")).rejects.toThrow(
        /xz -dc` failed \(1\): xz: \(stdin\): File format not recognized/,
      );
      expect(children()).toEqual([]);
    },
  );

  it.skipIf(!haveXz)("and a good download still works, with no child left", async () => {
    const target = join(dir, "whole");
    const got = await download(`${base}/whole.xz`, target, "sha256", "xz");
    expect(got.digest).toBe(createHash("sha256").update(xz).digest("hex"));
    expect(readFileSync(target).equals(payload)).toBe(true);
    expect(children()).toEqual([]);
  });
});
