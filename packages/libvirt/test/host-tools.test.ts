import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withChild } from "../src/child.js";
import { download } from "../src/download.js";
import { HOST_TOOLS, MissingHostToolError } from "../src/host-tools.js";
import { virsh } from "../src/virsh.js";
import { volumeSha256 } from "../src/volume-content.js";

/** The driver's spawns, run with a PATH that holds no program at all. */
describe("a program the driver runs is not installed", () => {
  let emptyPath: string;
  const savedPath = process.env.PATH;
  beforeEach(() => {
    emptyPath = mkdtempSync(join(tmpdir(), "minos-no-tools-"));
    process.env.PATH = emptyPath;
  });
  afterEach(() => {
    process.env.PATH = savedPath;
    rmSync(emptyPath, { recursive: true, force: true });
  });

  it("virsh: names the program, its Debian package and minos doctor", async () => {
    const failure = await virsh("qemu:///system", ["version"]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MissingHostToolError);
    expect((failure as Error).message).toBe(
      "minos: `virsh` is not installed on this machine (it talks to libvirtd); install it (Debian: apt install libvirt-clients), and run `minos doctor` to check the rest of the host",
    );
    expect(((failure as Error).cause as NodeJS.ErrnoException).code).toBe("ENOENT");
  });

  it("a child the driver pipes into (a decompressor) fails the same way", async () => {
    const failure = await withChild(
      "xz",
      ["-dc"],
      { stdio: ["pipe", "pipe", "pipe"] },
      async (_, succeeded) => succeeded,
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MissingHostToolError);
    expect((failure as Error).message).toMatch(/`xz` is not installed .*apt install xz-utils\)/);
  });

  it("mkfifo, before virsh streams a volume out", async () => {
    const failure = await volumeSha256("qemu:///system", "default", "v").catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/`mkfifo` is not installed .*apt install coreutils/);
  });

  it("every program a spawn site names is listed with its package", () => {
    // The list is what `minos doctor` checks: each spawn in src names its program by a key.
    const src = join(__dirname, "../src");
    const spawned = new Set<string>();
    for (const file of readdirSync(src)) {
      const text = readFileSync(join(src, file), "utf8");
      for (const m of text.matchAll(/(?:execFile\)?\(|withChild\(\s*)"([a-z0-9-]+)"/g))
        spawned.add(m[1] as string);
      for (const m of text.matchAll(/: \["([a-z0-9]+)", "-dc"\]/g)) spawned.add(m[1] as string);
    }
    expect([...spawned].sort()).toEqual(Object.keys(HOST_TOOLS).sort());
  });
});

it("a download through a missing decompressor names it", async () => {
  const saved = process.env.PATH;
  const dir = mkdtempSync(join(tmpdir(), "minos-no-tools-"));
  const { createServer } = await import("node:http");
  const server = createServer((_, res) => res.end(Buffer.alloc(1024)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as import("node:net").AddressInfo).port;
  process.env.PATH = dir;
  try {
    const failure = await download(
      `http://127.0.0.1:${port}/image.bz2`,
      join(dir, "out"),
      undefined,
      "bz2",
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MissingHostToolError);
    expect((failure as Error).message).toMatch(/`bzip2` is not installed .*apt install bzip2\)/);
  } finally {
    process.env.PATH = saved;
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
