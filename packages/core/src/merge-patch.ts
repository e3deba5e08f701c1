import { MinosError } from "./errors.js";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Applies an RFC 7386 JSON merge patch: objects merge key by key, `null`
 * deletes a key, anything else (arrays included) replaces. Returns a new value.
 */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

/** Checks a list of merge patches (objects, JSON-serializable); returns them. */
export function validatePatches(argument: string, value: unknown): object[] {
  const patches = value ?? [];
  if (!Array.isArray(patches))
    throw new MinosError(argument, value, "use a list of merge patches (objects)");
  for (const [i, patch] of patches.entries()) {
    if (!isObject(patch))
      throw new MinosError(`${argument}[${i}]`, patch, "use an object (an RFC 7386 merge patch)");
    try {
      JSON.stringify(patch);
    } catch {
      throw new MinosError(`${argument}[${i}]`, "an object", "use plain JSON data");
    }
  }
  return patches as object[];
}
