import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { MinosError } from "@minos/core";
import { afterEach, describe, expect, it } from "vitest";
import { fetchStream, imagesFromStream } from "../src/index.js";

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/stable.json", import.meta.url), "utf8"),
);

describe("Fedora CoreOS stream metadata", () => {
  it("yields the AMIs per region, the GCE image and the QEMU image with its digest", () => {
    expect(imagesFromStream(fixture, "amd64")).toEqual({
      release: "43.20261102.3.0",
      aws: { "eu-west-1": "ami-0a1b2c3d4e5f60718", "us-east-1": "ami-0f9e8d7c6b5a49382" },
      gcp: {
        project: "fedora-coreos-cloud",
        family: "fedora-coreos-stable",
        name: "fedora-coreos-43-20261102-3-0-gcp-x86-64",
      },
      qemu: {
        url: "https://builds.coreos.fedoraproject.org/prod/streams/stable/builds/43.20261102.3.0/x86_64/fedora-coreos-43.20261102.3.0-qemu.x86_64.qcow2.xz",
        sha256: "4f3c2d1e0b9a8f7e6d5c4b3a29180716f5e4d3c2b1a09f8e7d6c5b4a39281706",
      },
    });
  });

  it("reads arm64 from the aarch64 entries", () => {
    const images = imagesFromStream(fixture, "arm64");
    expect(images.gcp.family).toBe("fedora-coreos-stable-arm64");
    expect(images.qemu.url).toMatch(/qemu\.aarch64\.qcow2\.xz$/);
  });

  it("says so when the stream has no images for the architecture", () => {
    const x86Only = structuredClone(fixture);
    delete x86Only.architectures.aarch64;
    expect(() => imagesFromStream(x86Only, "arm64")).toThrow(
      expect.objectContaining({ argument: "arch", value: "arm64" }),
    );
    expect(() => imagesFromStream(x86Only, "arm64")).toThrow(
      /stream metadata has no aarch64 images \(it lists: x86_64\)/,
    );
  });

  it("names the path that is missing or malformed", () => {
    const broken = structuredClone(fixture);
    delete broken.architectures.x86_64.images.gcp.family;
    expect(() => imagesFromStream(broken, "amd64")).toThrow(MinosError);
    expect(() => imagesFromStream(broken, "amd64")).toThrow(
      /architectures\.x86_64\.images\.gcp\.family/,
    );
    const noDigest = structuredClone(fixture);
    noDigest.architectures.x86_64.artifacts.qemu.formats["qcow2.xz"].disk.sha256 = "not-a-digest";
    expect(() => imagesFromStream(noDigest, "amd64")).toThrow(/qcow2\.xz/);
  });

  it("never throws anything but a MinosError on junk", () => {
    for (const junk of [
      null,
      42,
      "x",
      [],
      { architectures: [] },
      { architectures: { x86_64: null } },
    ]) {
      expect(() => imagesFromStream(junk, "amd64")).toThrow(MinosError);
    }
  });
});

describe("fetching stream metadata", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  async function serve(handler: Parameters<typeof createServer>[1]) {
    server = createServer(handler);
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/streams`;
  }

  it("fetches <base>/<stream>.json", async () => {
    const seen: string[] = [];
    const baseUrl = await serve((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(fixture));
    });
    expect(imagesFromStream(await fetchStream("stable", { baseUrl }), "amd64").release).toBe(
      "43.20261102.3.0",
    );
    expect(seen).toEqual(["/streams/stable.json"]);
  });

  it("gives up after the timeout, saying where it looked", async () => {
    const baseUrl = await serve(() => {
      // never answers
    });
    await expect(fetchStream("next", { baseUrl, timeoutMs: 200 })).rejects.toThrow(
      new RegExp(
        `cannot read Fedora CoreOS stream metadata at ${baseUrl}/next.json \\(no answer in 200 ms\\); pin an image instead`,
      ),
    );
    server?.closeAllConnections();
  });

  it("reports an HTTP error", async () => {
    const baseUrl = await serve((_, res) => res.writeHead(404, "Not Found").end());
    await expect(fetchStream("testing", { baseUrl })).rejects.toThrow(
      /testing\.json answered 404 Not Found/,
    );
  });
});
