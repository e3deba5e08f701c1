import { readdirSync, readFileSync } from "node:fs";

/** The fields of a package.json these tests read. */
export interface Manifest {
  name: string;
  version: string;
  engines?: Record<string, string>;
  exports?: Record<string, unknown>;
  typesVersions?: Record<string, Record<string, string[]>>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}

const ROOT = new URL("../../", import.meta.url);

/** The workspace root's package.json. */
export const rootManifest: Manifest = JSON.parse(
  readFileSync(new URL("package.json", ROOT), "utf8"),
);

/** Every published package's folder name under packages/, with its package.json. */
export const packageManifests: [folder: string, manifest: Manifest][] = readdirSync(
  new URL("packages/", ROOT),
)
  .sort()
  .map((folder) => [
    folder,
    JSON.parse(readFileSync(new URL(`packages/${folder}/package.json`, ROOT), "utf8")),
  ]);

/** The Pulumi SDKs minos uses, all peer dependencies. */
export const PULUMI_SDKS = [
  "@pulumi/pulumi",
  "@pulumi/aws",
  "@pulumi/gcp",
  "@pulumi/kubernetes",
  "@pulumi/random",
  "@pulumi/tls",
] as const;

/**
 * The supported range of each Pulumi SDK: the one range every package that
 * peers on it declares. Throws when two packages disagree.
 */
export function supportedPulumiRanges(): Record<string, string> {
  const ranges: Record<string, string> = {};
  for (const sdk of PULUMI_SDKS)
    for (const [folder, m] of packageManifests) {
      const range = m.peerDependencies?.[sdk];
      if (range === undefined) continue;
      if (ranges[sdk] !== undefined && ranges[sdk] !== range)
        throw new Error(`${folder} peers on ${sdk}@${range}, another package on ${ranges[sdk]}`);
      ranges[sdk] = range;
    }
  return ranges;
}

/** The lowest version of a caret range, the one the consumer test installs. */
export function floor(range: string): string {
  const m = /^\^(\d+\.\d+\.\d+)$/.exec(range);
  if (!m?.[1]) throw new Error(`peer range ${range} is not ^x.y.z`);
  return m[1];
}
