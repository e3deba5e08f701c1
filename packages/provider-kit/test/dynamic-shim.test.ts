import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import { hostCall } from "../../../test/support/dynamic-host.js";

// Node's own require: Pulumi serializes the compiled package, not vitest's transform of it.
const load = createRequire(import.meta.url);
const nativePulumi = load("@pulumi/pulumi") as typeof pulumi;
const { dynamicProviderShim } = load(
  "../dist/dynamic-shim.js",
) as typeof import("../src/dynamic-shim.js");
const PULUMI_DIR = dirname(load.resolve("@pulumi/pulumi/package.json"));

const root = mkdtempSync(join(tmpdir(), "minos-shim-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a package folder; its provider's diff answers which copy it is. */
function pkg(at: string, name: string, copy: string, deps: Record<string, string> = {}): string {
  const dir = join(at, "node_modules", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name,
      version: "1.0.0",
      dependencies: deps,
      exports: { "./providers": "./providers.js", "./package.json": "./package.json" },
    }),
  );
  writeFileSync(
    join(dir, "providers.js"),
    `exports.providers = { echo: { diff: async () => ({ changes: false, copy: ${JSON.stringify(copy)} }) } };`,
  );
  return dir;
}

/** A folder of its own under the test's root. */
function folder(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The shim as Pulumi stores it in state. */
async function serialized(lookup: { from: string; via?: string[] }): Promise<string> {
  const shim = dynamicProviderShim("@fixture/provider/providers", "echo", lookup);
  return (await nativePulumi.runtime.serializeFunction(() => shim)).text;
}

const diff = (text: string, cwd: string) =>
  hostCall(text, { cwd, pulumiDir: PULUMI_DIR, method: "diff", args: ["id", {}, {}] });

describe("dynamicProviderShim", () => {
  // The creating package's own copy, where it sat when the resource was made.
  const creator = folder("creator");
  pkg(creator, "@fixture/provider", "creator's");

  it("captures its lookup as strings, nothing of this process", async () => {
    const text = await serialized({ from: creator, via: ["@fixture/anchor"] });
    expect(text).toContain('specifier: "@fixture/provider/providers"');
    expect(text).toContain(`from: ${JSON.stringify(creator)}`);
    expect(text).toContain('"@fixture/anchor"');
    expect(text).not.toContain("__dirname");
  });

  it("loads the copy the program lists first", async () => {
    const program = folder("lists-it");
    pkg(program, "@fixture/provider", "program's");
    expect(await diff(await serialized({ from: creator }), program)).toEqual({
      result: { changes: false, copy: "program's" },
    });
  });

  it("reaches it through a package the program lists (pnpm's strict layout)", async () => {
    const program = folder("lists-anchor");
    const anchor = pkg(program, "@fixture/anchor", "anchor", { "@fixture/provider": "1.0.0" });
    pkg(anchor, "@fixture/provider", "anchor's");
    expect(
      await diff(await serialized({ from: "/gone", via: ["@fixture/anchor"] }), program),
    ).toEqual({ result: { changes: false, copy: "anchor's" } });
  });

  it("falls back to where the creating package was, on the machine that made it", async () => {
    expect(await diff(await serialized({ from: creator }), folder("lists-nothing"))).toEqual({
      result: { changes: false, copy: "creator's" },
    });
  });

  it("says which package to add when state came from another machine", async () => {
    const answer = await diff(
      await serialized({
        from: "/another/machine/node_modules/@fixture/x/dist",
        via: ["@fixture/anchor"],
      }),
      folder("elsewhere"),
    );
    expect(answer).toEqual({
      error: expect.stringContaining("cannot load @fixture/provider/providers"),
    });
    const { error } = answer as { error: string };
    expect(error).toContain(
      `where the Pulumi program runs (${join(root, "elsewhere")}, directly or through @fixture/anchor)`,
    );
    expect(error).toContain("npm install @fixture/provider, or pnpm add @fixture/provider");
  });

  it("names a provider the installed release lacks", async () => {
    const program = folder("old-release");
    pkg(program, "@fixture/provider", "old");
    const shim = dynamicProviderShim("@fixture/provider/providers", "newer", { from: creator });
    const text = (await nativePulumi.runtime.serializeFunction(() => shim)).text;
    expect(await diff(text, program)).toEqual({
      error: expect.stringMatching(/^minos: @fixture\/provider at .* has no newer provider/),
    });
  });
});
