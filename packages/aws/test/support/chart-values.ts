import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** An upstream file copied into `packages/aws/test/fixtures` (see its README). */
export const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8");

/** A chart's values.yaml from the fixtures, parsed. */
export const chartValues = (name: string) => parse(fixture(name)) as Record<string, unknown>;

/**
 * Whether every key we set exists in a chart's values.yaml, or a template
 * reads it: down through objects the chart itself spells out, and no
 * further where the chart leaves a free-form map, a list or an empty value.
 */
export function unknownKeys(ours: unknown, chart: unknown, path = ""): string[] {
  if (typeof ours !== "object" || ours === null || Array.isArray(ours)) return [];
  const known = (chart ?? {}) as Record<string, unknown>;
  return Object.entries(ours).flatMap(([key, value]) => {
    const at = path ? `${path}.${key}` : key;
    if (!(key in known)) return [at];
    const theirs = known[key];
    const spelledOut =
      typeof theirs === "object" &&
      theirs !== null &&
      !Array.isArray(theirs) &&
      Object.keys(theirs).length > 0;
    return spelledOut ? unknownKeys(value, theirs, at) : [];
  });
}
