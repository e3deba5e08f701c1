import { readFileSync } from "node:fs";

/** One way an object strays from the API's types: a field the type lacks, or a value of another JSON type. */
export interface FieldProblem {
  path: string;
  problem: string;
}

/** Fields whose type is IntOrString: the fixture holds a string, a number is as good. */
const INT_OR_STRING = new Set(["targetPort", "port"]);

const kindOf = (v: unknown) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v);

/**
 * Compares `ours` with upstream's fully filled object `theirs` of the same
 * type: every field of ours must be one of theirs, of the same JSON type,
 * at every depth. A map (`labels`) is an object whose one key is
 * `<field>Key`; a list's items are checked against its one item.
 */
export function apiFieldProblems(
  ours: unknown,
  theirs: unknown,
  path = "$",
  field = "",
): FieldProblem[] {
  const kind = kindOf(theirs);
  if (kindOf(ours) !== kind) {
    if (kind === "string" && typeof ours === "number" && INT_OR_STRING.has(field)) return [];
    return [{ path, problem: `is ${kindOf(ours)}, the API's type is ${kind}` }];
  }
  if (kind === "array")
    return (ours as unknown[]).flatMap((item, i) =>
      apiFieldProblems(item, (theirs as unknown[])[0], `${path}[${i}]`, field),
    );
  if (kind !== "object") return [];
  const t = theirs as Record<string, unknown>;
  const keys = Object.keys(t);
  const map = keys.length === 1 && keys[0] === `${field}Key`;
  return Object.entries(ours as Record<string, unknown>).flatMap(([k, v]) => {
    if (map) return apiFieldProblems(v, t[`${field}Key`], `${path}.${k}`, k);
    if (!(k in t)) return [{ path: `${path}.${k}`, problem: "is no field of the API's type" }];
    return apiFieldProblems(v, t[k], `${path}.${k}`, k);
  });
}

/** Upstream's filled object of a kind: `batch.v1.Job`, `core.v1.Service`, `core.v1.Namespace`. */
export function apiFixture(apiVersion: string, kind: string): unknown {
  const group = apiVersion.includes("/") ? apiVersion.replace("/", ".") : `core.${apiVersion}`;
  return JSON.parse(
    readFileSync(
      new URL(`../fixtures/kubernetes-api/${group}.${kind}.json`, import.meta.url),
      "utf8",
    ),
  );
}
