/**
 * The layers stay apart: platforms know nothing of any OS's payload format,
 * the OS packages and core depend on no cloud SDK and the OS packages on no
 * platform, the third-party platform and OS of the open-contracts test see
 * only core's public exports, and every source file stays short enough to
 * hold one idea.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Manifest } from "./support/manifests.js";
import { packageManifests } from "./support/manifests.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** The OS packages, and the platform packages none of them may stand on. */
const OS_PACKAGES = ["flatcar", "fcos", "talos", "bottlerocket"];
const PLATFORM_PACKAGE = /^@minos\/(aws|gcp|kvm|libvirt)(\/|$)/;
/** The most lines a source file holds: past it, a second idea has usually moved in. */
const MOST_LINES = 400;

/** Every file under a folder of the repository, as `path: text`, paths from the root. */
function filesUnder(folder: string): [path: string, text: string][] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e): [string, string] => {
      const path = join(e.parentPath, e.name);
      return [relative(ROOT, path), readFileSync(path, "utf8")];
    })
    .sort(([a], [b]) => a.localeCompare(b));
}

/** Every module a source file names: static and dynamic imports, re-exports, requires. */
function importedBy(text: string): string[] {
  return [...text.matchAll(/\b(?:from|import|require)\s*\(?\s*"([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
}

/** Every package a manifest names in any dependency field (dependencies, peer, dev, optional, bundled, meta). */
function dependencyNames(m: Manifest): string[] {
  const names = new Set<string>();
  for (const [field, value] of Object.entries(m)) {
    if (!/^bundleDependencies$|dependencies(Meta)?$/i.test(field)) continue;
    const listed = Array.isArray(value) ? value : Object.keys((value ?? {}) as object);
    for (const name of listed) names.add(String(name));
  }
  return [...names].sort();
}

describe("layering", () => {
  it.each(["aws", "gcp", "kvm"])(
    "packages/%s/src never mentions Ignition: payloads are opaque to platforms",
    (platform) => {
      const files = filesUnder(`packages/${platform}/src`);
      expect(files.length).toBeGreaterThan(3);
      const mentions = files.flatMap(([path, text]) =>
        text
          .split("\n")
          .map((line, i) => [`${path}:${i + 1}`, line] as const)
          .filter(([, line]) => /ignition/i.test(line))
          .map(([where, line]) => `${where}: ${line.trim()}`),
      );
      expect(mentions).toEqual([]);
    },
  );

  it.each(["core", ...OS_PACKAGES])(
    "packages/%s lists no cloud SDK in any dependency field",
    (folder) => {
      const found = packageManifests.find(([f]) => f === folder);
      expect(found, `packages/${folder}/package.json`).toBeDefined();
      const names = dependencyNames((found as [string, Manifest])[1]);
      expect(names).toContain("@pulumi/pulumi");
      expect(names.filter((n) => n === "@pulumi/aws" || n === "@pulumi/gcp")).toEqual([]);
    },
  );

  it("core stands on no package of ours but the provider kit, and the kit on none", () => {
    const minos = (folder: string) =>
      dependencyNames(
        (packageManifests.find(([f]) => f === folder) as [string, Manifest])[1],
      ).filter((n) => n.startsWith("@minos/"));
    expect(minos("core")).toEqual(["@minos/provider-kit"]);
    expect(minos("provider-kit")).toEqual([]);
  });

  it.each(OS_PACKAGES)(
    "packages/%s stands on no platform package: none in its manifest, none imported by its sources",
    (folder) => {
      const found = packageManifests.find(([f]) => f === folder) as [string, Manifest];
      expect(dependencyNames(found[1]).filter((n) => PLATFORM_PACKAGE.test(n))).toEqual([]);
      const files = filesUnder(`packages/${folder}/src`);
      expect(files.length).toBeGreaterThan(3);
      const imports = files.flatMap(([path, text]) =>
        importedBy(text)
          .filter((specifier) => PLATFORM_PACKAGE.test(specifier))
          .map((specifier) => `${path}: ${specifier}`),
      );
      expect(imports).toEqual([]);
    },
  );

  it("finds a platform package however a source names it", () => {
    const text = [
      'import { eks } from "@minos/aws";',
      'import type { GcpPlatformArgs } from "@minos/gcp";',
      'export { kvm } from "@minos/kvm";',
      'const host = await import("@minos/libvirt/host");',
      'const sdk = require("@minos/aws/description");',
      'import { MinosError } from "@minos/core";',
    ].join("\n");
    expect(importedBy(text).filter((s) => PLATFORM_PACKAGE.test(s))).toEqual([
      "@minos/aws",
      "@minos/gcp",
      "@minos/kvm",
      "@minos/libvirt/host",
      "@minos/aws/description",
    ]);
  });

  it(`no source file of any package runs past ${MOST_LINES} lines`, () => {
    const files = packageManifests.flatMap(([folder]) =>
      filesUnder(`packages/${folder}/src`).filter(([path]) => path.endsWith(".ts")),
    );
    expect(files.length).toBeGreaterThan(100);
    // Lines as `wc -l` counts them: each ends in a newline.
    const lines = (text: string) => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
    const long = files.filter(([, text]) => lines(text) > MOST_LINES);
    expect(long.map(([path, text]) => `${path}: ${lines(text)}`)).toEqual([]);
  });

  it("reads every dependency field, so a cloud SDK listed anywhere is found", () => {
    const names = dependencyNames({
      name: "x",
      version: "0.0.0",
      dependencies: { a: "1" },
      devDependencies: { b: "1" },
      peerDependencies: { c: "1" },
      peerDependenciesMeta: { d: { optional: true } },
      optionalDependencies: { e: "1" },
      bundleDependencies: ["f"],
      bundledDependencies: ["g"],
    });
    expect(names).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
  });

  it("the open-contracts platform and OS import only core, the Pulumi SDK, Node and each other", () => {
    const files = filesUnder("test/support").filter(([path]) => /\/toy-[^/]+\.ts$/.test(path));
    expect(files.map(([path]) => path)).toEqual([
      "test/support/toy-os.ts",
      "test/support/toy-platform.ts",
    ]);
    for (const [path, text] of files) {
      const imported = [...text.matchAll(/\bfrom\s+"([^"]+)"/g)].map((m) => m[1]);
      expect(imported.length, path).toBeGreaterThan(0);
      for (const specifier of imported)
        expect(specifier, path).toMatch(
          /^(@minos\/core|@pulumi\/pulumi|node:.+|\.\/toy-[a-z]+\.js)$/,
        );
    }
  });

  it.each(packageManifests.map(([folder]) => folder))(
    "%s: no import cycle among its own source files",
    (folder) => {
      const files = new Map(
        filesUnder(`packages/${folder}/src`).filter(([path]) => path.endsWith(".ts")),
      );
      const edges = (path: string) =>
        [...(files.get(path) ?? "").matchAll(/\bfrom\s+"(\.{1,2}\/[^"]+)\.js"/g)].map((m) =>
          relative(ROOT, join(ROOT, path, "..", `${m[1]}.ts`)),
        );
      // Depth-first, carrying the path walked: an edge back into it is a cycle.
      const cycles: string[] = [];
      const done = new Set<string>();
      const walk = (path: string, trail: string[]) => {
        if (trail.includes(path)) {
          cycles.push([...trail.slice(trail.indexOf(path)), path].join(" -> "));
          return;
        }
        if (done.has(path)) return;
        for (const next of edges(path)) walk(next, [...trail, path]);
        done.add(path);
      };
      for (const path of files.keys()) walk(path, []);
      expect(files.size).toBeGreaterThan(0);
      expect(cycles).toEqual([]);
    },
  );
});
