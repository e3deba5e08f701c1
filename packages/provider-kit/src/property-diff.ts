/** What a property means to the object a dynamic provider manages. */
export type PropertyKind =
  /** A change makes a new object. */
  | "replace"
  /** A change is made to the object in place. */
  | "update"
  /** Not compared: an output the provider fills, or a value used only while creating. */
  | "ignore";

/** A dynamic provider's diff answer. */
export interface PropertyDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * A dynamic provider's diff over the properties that define its object, each
 * classified once (the record's type makes the list complete for `T`).
 * Everything else in `olds` and `news` is never compared: above all Pulumi's
 * serialized provider, `__provider`, which changes with every minos release
 * and Pulumi SDK and must not replace a VM or re-run a call. Values compare
 * as JSON with sorted keys, so key order and absent-versus-undefined do not
 * count as changes.
 *
 * It lives in this package, the lowest minos depends on, so every minos
 * dynamic provider shares it (`@minos/core` re-exports it).
 */
export function diffProperties<T extends object>(
  olds: T,
  news: T,
  kinds: { readonly [K in keyof Required<T>]: PropertyKind },
  deleteBeforeReplace = false,
): PropertyDiff {
  const changed = (Object.keys(kinds) as (keyof T & string)[]).filter(
    (k) => kinds[k] !== "ignore" && canonical(olds[k]) !== canonical(news[k]),
  );
  const replaces = changed.filter((k) => kinds[k] === "replace");
  return { changes: changed.length > 0, replaces, deleteBeforeReplace };
}

/** JSON with object keys sorted; `undefined` for an absent value. */
function canonical(value: unknown): string | undefined {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
