import { MinosError } from "../errors.js";

/** Edit distance between two keys (Levenshtein). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The known key a misspelt one most likely meant, if any is close. */
export function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const k of known) if (best === undefined || distance(key, k) < distance(key, best)) best = k;
  return best !== undefined && distance(key, best) <= Math.max(2, Math.floor(key.length / 3))
    ? best
    : undefined;
}

/**
 * Refuses keys an argument object does not take, so a JavaScript caller's
 * typo (`nodepools`) is an error rather than a cluster without workers.
 */
export function refuseUnknownKeys(argument: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    // A key of blanks or quotes is printed quoted, so the error still shows it.
    const named = /^[^\s"]+$/.test(key) ? key : JSON.stringify(key);
    throw new MinosError(
      argument ? `${argument}.${named}` : named,
      (value as Record<string, unknown>)[key],
      `there is no such argument${hint ? ` (did you mean ${hint}?)` : ""}; use ${[...known].sort().join(", ")}`,
    );
  }
}

/** The keys of an options type, listed so the compiler checks the list is complete. */
export function optionKeys<T>(keys: { readonly [K in keyof Required<T>]: true }): string[] {
  return Object.keys(keys);
}
