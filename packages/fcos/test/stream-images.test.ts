import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StreamImagesOutputs } from "../src/providers.js";
import { streamImagesProvider } from "../src/providers.js";

const fixture = readFileSync(new URL("./fixtures/stable.json", import.meta.url), "utf8");
let server: Server;
let baseUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? "");
    if (req.url === "/streams/stable.json")
      res.writeHead(200, { "content-type": "application/json" }).end(fixture);
    else res.writeHead(404, "Not Found").end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/streams`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const inputs = () => ({
  stream: "stable" as const,
  arch: "amd64" as const,
  baseUrl,
  timeoutSeconds: 5,
});

describe("StreamImages provider", () => {
  it("records the stream's images for the architecture, named by release", async () => {
    const created = await streamImagesProvider.create(inputs());
    expect(created.id).toBe("stable-amd64-43.20261102.3.0");
    expect(created.outs).toMatchObject({
      release: "43.20261102.3.0",
      aws: { "us-east-1": "ami-0f9e8d7c6b5a49382" },
      gcp: { project: "fedora-coreos-cloud", name: "fedora-coreos-43-20261102-3-0-gcp-x86-64" },
      qemu: { sha256: "4f3c2d1e0b9a8f7e6d5c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a39281706" },
    });
  });

  it("fails with the URL when the stream is not there", async () => {
    await expect(streamImagesProvider.create({ ...inputs(), stream: "next" })).rejects.toThrow(
      /next\.json answered 404/,
    );
  });

  it("keeps its answer: only a new stream, architecture or mirror reads again", async () => {
    const olds = (await streamImagesProvider.create(inputs())).outs as StreamImagesOutputs;
    const diff = streamImagesProvider.diff as NonNullable<typeof streamImagesProvider.diff>;
    expect(await diff("id", olds, inputs())).toMatchObject({ changes: false, replaces: [] });
    expect(await diff("id", olds, { ...inputs(), stream: "testing" })).toMatchObject({
      changes: true,
      replaces: ["stream"],
    });
    expect(await diff("id", olds, { ...inputs(), arch: "arm64" })).toMatchObject({
      replaces: ["arch"],
    });
    expect(await diff("id", olds, { ...inputs(), timeoutSeconds: 60 })).toMatchObject({
      changes: true,
      replaces: [],
    });
    const update = streamImagesProvider.update as NonNullable<typeof streamImagesProvider.update>;
    const updated = await update("id", olds, { ...inputs(), timeoutSeconds: 60 });
    expect(updated.outs).toEqual({ ...olds, timeoutSeconds: 60 });
  });

  it("serializes to a shim that loads the provider by package name, and runs in a fresh process", async () => {
    // Node's own require: Pulumi serializes the compiled package, not vitest's transform of it.
    const load = createRequire(import.meta.url);
    const nativePulumi = load("@pulumi/pulumi") as typeof pulumi;
    const { shim } = load("../dist/stream-images.js") as typeof import("../src/stream-images.js");
    const serialized = await nativePulumi.runtime.serializeFunction(() => shim);
    expect(serialized.text).toContain('"@minos/fcos/providers"');

    const dir = mkdtempSync(join(__dirname, "..", ".serialized-"));
    try {
      const file = join(dir, "provider.js");
      writeFileSync(file, serialized.text);
      const script = `require(${JSON.stringify(file)}).handler().create(${JSON.stringify(inputs())}).then((r) => console.log(JSON.stringify(r)))`;
      // Asynchronous: the metadata server runs in this process.
      const { stdout } = await promisify(execFile)("node", ["-e", script], { encoding: "utf8" });
      expect(JSON.parse(stdout).outs.qemu.url).toMatch(/qemu\.x86_64\.qcow2\.xz$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
