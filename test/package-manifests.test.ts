import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  floor,
  PULUMI_SDKS,
  packageManifests,
  rootManifest,
  supportedPulumiRanges,
} from "./support/manifests.js";

/** The README's peer-dependency table: package → range. */
function readmePeers(): Record<string, string> {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const rows: Record<string, string> = {};
  for (const m of readme.matchAll(/^\| `(@pulumi\/[a-z]+)` +\| `([^`]+)` +\|$/gm))
    if (m[1] && m[2]) rows[m[1]] = m[2];
  return rows;
}

/** Compares x.y.z versions. */
function atLeast(version: string, min: string): boolean {
  const [a, b] = [version, min].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++)
    if ((a?.[i] ?? 0) !== (b?.[i] ?? 0)) return (a?.[i] ?? 0) > (b?.[i] ?? 0);
  return true;
}

describe("package manifests", () => {
  it.each(packageManifests)("%s: Pulumi SDKs are peer dependencies, never dependencies", (_, m) => {
    for (const sdk of PULUMI_SDKS) expect(m.dependencies?.[sdk]).toBeUndefined();
    expect(m.peerDependencies?.["@pulumi/pulumi"]).toBeDefined();
  });

  it.each(packageManifests)("%s: builds against each peer at or above its floor", (_, m) => {
    // minos' own optional peers come from the workspace.
    for (const [peer, range] of Object.entries(m.peerDependencies ?? {})) {
      if (peer.startsWith("@minos/")) continue;
      const dev = m.devDependencies?.[peer];
      expect(dev, `${m.name} has no dev dependency on ${peer}`).toMatch(/^\^\d+\.\d+\.\d+$/);
      expect(atLeast(floor(dev as string), floor(range))).toBe(true);
    }
  });

  it("one range per Pulumi SDK across packages, the one the README lists", () => {
    const ranges = supportedPulumiRanges();
    expect(Object.keys(ranges).sort()).toEqual([...PULUMI_SDKS].sort());
    expect(readmePeers()).toEqual(ranges);
  });

  it.each(packageManifests)(
    "%s: every subpath export has its types under classic node resolution too",
    (_, m) => {
      const subpaths = Object.entries(m.exports ?? {}).filter(
        ([k]) => k !== "." && k !== "./package.json",
      );
      const expected = Object.fromEntries(
        subpaths.map(([k, v]) => [k.slice(2), [(v as { types: string }).types]]),
      );
      expect(m.typesVersions?.["*"] ?? {}).toEqual(expected);
    },
  );

  it.each(packageManifests)("%s: says where it comes from, as the workspace does", (folder, m) => {
    const url = (rootManifest.repository as { url: string }).url;
    expect(url).toMatch(/^git\+https:\/\/.+\.git$/);
    const web = url.replace(/^git\+/, "").replace(/\.git$/, "");
    expect(m.repository).toEqual({ type: "git", url, directory: `packages/${folder}` });
    expect(m.homepage).toBe(`${web}/tree/main/packages/${folder}#readme`);
    expect(m.bugs).toEqual(rootManifest.bugs);
    expect(m.license).toBe(rootManifest.license);
  });

  it.each(packageManifests)(
    "%s: packs the repository's LICENSE and its own README",
    (folder, m) => {
      // The one LICENSE is copied in only while packing.
      expect(m.scripts).toEqual({
        prepack: "tsc -b && cp ../../LICENSE LICENSE",
        postpack: "rm -f LICENSE",
      });
      const readme = new URL(`../packages/${folder}/README.md`, import.meta.url);
      expect(existsSync(readme)).toBe(true);
      const text = readFileSync(readme, "utf8");
      expect(text.startsWith(`# ${m.name}\n`)).toBe(true);
      const install = /^npm install .*$/m.exec(text)?.[0] ?? "";
      for (const [peer] of Object.entries(m.peerDependencies ?? {}).filter(
        ([p]) => !m.peerDependenciesMeta?.[p]?.optional,
      ))
        expect(install.split(" "), `${folder}/README.md installs ${peer}`).toContain(peer);
    },
  );

  it.each(packageManifests)("%s: the workspace's engines", (_, m) => {
    expect(rootManifest.engines?.node).toBe(">=22");
    expect(m.engines).toEqual(rootManifest.engines);
  });
});
