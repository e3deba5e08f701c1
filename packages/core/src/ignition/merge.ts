import { MinosError } from "../errors.js";
import type { IgnitionConfig } from "./types.js";
import { IGNITION_VERSION } from "./types.js";

/**
 * Lists Ignition merges by a key rather than by appending: an entry in a later
 * config replaces the fields of the entry with the same key in an earlier one.
 * Mirrors Ignition's own merge rules for the sections users touch.
 */
const KEYED_LISTS: Record<string, string> = {
  "storage.files": "path",
  "storage.directories": "path",
  "storage.links": "path",
  "storage.disks": "device",
  "storage.filesystems": "device",
  "storage.raid": "name",
  "storage.luks": "name",
  "systemd.units": "name",
  "systemd.units.dropins": "name",
  "passwd.users": "name",
  "passwd.groups": "name",
};

const SUPPORTED_FRAGMENT_VERSION = /^3\.[0-3]\.0$/;

/**
 * Merges user-supplied Ignition fragments into a base config, in order. Each
 * fragment is an Ignition 3.0-3.3 config (or the same shape without
 * `ignition.version`); its files, units and users override the base's by path
 * or name, so a user can replace any file or unit minos renders.
 */
export function mergeIgnition(
  base: IgnitionConfig,
  fragments: readonly unknown[],
  argument = "extraIgnition",
): IgnitionConfig {
  return fragments.reduce<IgnitionConfig>((acc, fragment, i) => {
    const at = `${argument}[${i}]`;
    if (typeof fragment !== "object" || fragment === null || Array.isArray(fragment)) {
      throw new MinosError(at, fragment, "use an Ignition config object (spec 3.0.0 to 3.3.0)");
    }
    const { ignition, ...rest } = fragment as Record<string, unknown>;
    const version = (ignition as { version?: unknown } | undefined)?.version;
    if (
      version !== undefined &&
      !(typeof version === "string" && SUPPORTED_FRAGMENT_VERSION.test(version))
    ) {
      throw new MinosError(
        `${at}.ignition.version`,
        version,
        `use a 3.x spec no newer than ${IGNITION_VERSION}`,
      );
    }
    return mergeValue(acc, rest, "") as IgnitionConfig;
  }, base);
}

function mergeValue(base: unknown, over: unknown, path: string): unknown {
  if (over === undefined) return base;
  if (Array.isArray(base) && Array.isArray(over)) {
    const key = KEYED_LISTS[path];
    if (!key) return [...base, ...over];
    const merged = new Map<unknown, unknown>(base.map((item) => [item?.[key], item]));
    for (const item of over) {
      const id = item?.[key];
      merged.set(id, merged.has(id) ? mergeValue(merged.get(id), item, path) : item);
    }
    return [...merged.values()];
  }
  if (isObject(base) && isObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) {
      // Authorized keys accumulate, as Ignition's merge does for users.
      out[k] =
        k === "sshAuthorizedKeys" && Array.isArray(base[k]) && Array.isArray(v)
          ? [...new Set([...(base[k] as unknown[]), ...v])]
          : mergeValue(base[k], v, path ? `${path}.${k}` : k);
    }
    return out;
  }
  return over;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
