import { canonicalJson } from "./canonical-json.js";
import { inlineResource } from "./data-url.js";
import { mergeIgnition } from "./merge.js";
import type {
  IgnitionConfig,
  IgnitionDirectory,
  IgnitionLink,
  IgnitionUnit,
  IgnitionUser,
} from "./types.js";
import { IGNITION_VERSION } from "./types.js";

/** Content fetched by Ignition at boot, pinned by hash when one is given. */
export interface RemoteContent {
  url: string;
  /** `sha256-<hex>` or `sha512-<hex>`. */
  hash?: string;
}

/** A file to write: inline text/bytes (compressed when that is smaller) or remote. */
export interface FileSpec {
  path: string;
  /** Permission bits, e.g. `0o600`. Default 0o644. */
  mode?: number;
  contents: string | Uint8Array | RemoteContent;
}

/** What a node's first boot writes, in minos' terms. */
export interface IgnitionSpec {
  files?: FileSpec[];
  directories?: IgnitionDirectory[];
  links?: IgnitionLink[];
  units?: IgnitionUnit[];
  users?: IgnitionUser[];
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T): number =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** Builds an Ignition config from a spec plus user fragments merged last. */
export function buildIgnition(
  spec: IgnitionSpec,
  fragments: readonly unknown[] = [],
): IgnitionConfig {
  const files = (spec.files ?? []).map((f) => ({
    path: f.path,
    mode: f.mode ?? 0o644,
    overwrite: true,
    contents: isRemote(f.contents)
      ? {
          source: f.contents.url,
          ...(f.contents.hash ? { verification: { hash: f.contents.hash } } : {}),
        }
      : inlineResource(f.contents),
  }));
  const config: IgnitionConfig = {
    ignition: { version: IGNITION_VERSION },
    ...(spec.users?.length ? { passwd: { users: spec.users } } : {}),
    storage: {
      ...(spec.directories?.length ? { directories: spec.directories } : {}),
      files,
      ...(spec.links?.length ? { links: spec.links } : {}),
    },
    systemd: { units: spec.units ?? [] },
  };
  return sortLists(mergeIgnition(config, fragments));
}

/** Serializes a config canonically: the same config gives the same bytes. */
export function renderIgnition(config: IgnitionConfig): string {
  return canonicalJson(config);
}

/** Rendered size, raw and as base64 (how some platforms count user-data). */
export function ignitionSize(rendered: string): { bytes: number; base64Bytes: number } {
  const bytes = Buffer.byteLength(rendered, "utf8");
  return { bytes, base64Bytes: Math.ceil(bytes / 3) * 4 };
}

function sortLists(config: IgnitionConfig): IgnitionConfig {
  const s = config.storage;
  return {
    ...config,
    ...(s && {
      storage: {
        ...s,
        ...(s.files && { files: [...s.files].sort(byKey((f) => f.path)) }),
        ...(s.directories && { directories: [...s.directories].sort(byKey((d) => d.path)) }),
        ...(s.links && { links: [...s.links].sort(byKey((l) => l.path)) }),
      },
    }),
    ...(config.systemd?.units && {
      systemd: { ...config.systemd, units: [...config.systemd.units].sort(byKey((u) => u.name)) },
    }),
  };
}

function isRemote(c: FileSpec["contents"]): c is RemoteContent {
  return typeof c === "object" && !(c instanceof Uint8Array);
}
