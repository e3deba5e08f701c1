import { readFileSync } from "node:fs";
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
    for (const [peer, range] of Object.entries(m.peerDependencies ?? {})) {
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

  it.each(packageManifests)("%s: the workspace's engines", (_, m) => {
    expect(rootManifest.engines?.node).toBe(">=22");
    expect(m.engines).toEqual(rootManifest.engines);
  });
});
