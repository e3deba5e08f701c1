/**
 * `pulumi up` compiles an example's index.ts with ts-node, registered by
 * @pulumi/pulumi with the `typescript` the program installs (each example
 * lists the workspace's), or, when none is installed (`npm install
 * --omit=dev`, or a project that dropped it), its vendored TypeScript 3.8.3;
 * and with its vendored ts-node 7 unless the program installs its own. Each
 * example's tsconfig must suit both: 3.8.3 refuses ES2022 and Node16 (TS6046)
 * and `noUncheckedIndexedAccess` (TS5023), which the root `typecheck` adds
 * on the command line instead.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rootManifest } from "./support/manifests.js";
import { compileAsPulumi } from "./support/pulumi-ts-node.js";
import {
  pulumiFolder,
  VENDORED_TS_VERSION,
  vendoredTsNodePath,
  vendoredTypeScriptPath,
} from "./support/vendored-typescript.js";

const EXAMPLES = fileURLToPath(new URL("../examples/", import.meta.url));
const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const PULUMI = pulumiFolder(import.meta.url);
const tsNode = vendoredTsNodePath(PULUMI);
const workspaceTs = createRequire(import.meta.url).resolve("typescript");
const workspaceTsVersion = rootManifest.devDependencies?.typescript?.replace(/^[~^]/, "");

describe("examples compile as pulumi up compiles them", () => {
  it("finds every example", () => {
    expect(examples).toContain("kvm-flatcar");
    expect(examples.length).toBeGreaterThanOrEqual(7);
  });

  it.each(examples)("%s lists typescript and @types/node at the root's ranges", (example) => {
    const manifest = JSON.parse(readFileSync(join(EXAMPLES, example, "package.json"), "utf8"));
    expect(manifest.devDependencies).toEqual({
      "@types/node": rootManifest.devDependencies?.["@types/node"],
      typescript: rootManifest.devDependencies?.typescript,
    });
  });

  it.each(examples)("%s imports its own files by a name ts-node resolves", (example) => {
    // Pulumi's ts-node runs a program as CommonJS, where `./x.js` means that
    // file on disk, not `./x.ts`: the program would fail to load.
    const dir = join(EXAMPLES, example);
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(join(dir, file), "utf8");
      const relative = [...source.matchAll(/from "(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
      expect(
        relative.filter((r) => /\.[cm]?js$/.test(r ?? "")),
        `${example}/${file}`,
      ).toEqual([]);
    }
  });

  describe.concurrent.each(examples)("%s", (example) => {
    it(`type-checks with the vendored ts-node 7 and TypeScript ${VENDORED_TS_VERSION} (no typescript installed)`, async () => {
      const answer = await compileAsPulumi(join(EXAMPLES, example), {
        tsNode,
        compiler: vendoredTypeScriptPath(PULUMI),
      });
      expect(answer).toBe(VENDORED_TS_VERSION);
    }, 120_000);

    it("type-checks with the vendored ts-node 7 and the typescript it lists", async () => {
      const answer = await compileAsPulumi(join(EXAMPLES, example), {
        tsNode,
        compiler: workspaceTs,
      });
      expect(answer).toBe(workspaceTsVersion);
    }, 120_000);
  });
});
