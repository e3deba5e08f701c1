import { MinosError } from "../errors.js";
import type { ComparisonDocument } from "./document.js";
import { COMPARISON_SCHEMA_VERSION } from "./document.js";

/** One way a document fails the schema: the field's JSON path and what it should hold. */
export interface ComparisonProblem {
  /** The field, as a JSON path from the document's root (`results[2].samples[0]`). */
  path: string;
  /** The value found there. */
  value: unknown;
  /** What the schema allows, as a sentence fragment. */
  allowed: string;
}

type Check = (value: unknown, path: string, problems: ComparisonProblem[]) => void;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const text: Check = (v, path, problems) => {
  if (typeof v !== "string" || v.length === 0)
    problems.push({ path, value: v, allowed: "give a non-empty string" });
};
const count: Check = (v, path, problems) => {
  if (!Number.isInteger(v) || (v as number) < 0)
    problems.push({ path, value: v, allowed: "give a whole number, 0 or more" });
};
const finite: Check = (v, path, problems) => {
  if (typeof v !== "number" || !Number.isFinite(v))
    problems.push({ path, value: v, allowed: "give a finite number" });
};
const oneOf =
  (...allowed: unknown[]): Check =>
  (v, path, problems) => {
    if (!allowed.includes(v))
      problems.push({
        path,
        value: v,
        allowed: `use ${allowed.map((a) => JSON.stringify(a)).join(" or ")}`,
      });
  };
const dateTime: Check = (v, path, problems) => {
  if (typeof v !== "string" || !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z$/.test(v))
    problems.push({
      path,
      value: v,
      allowed: "give an ISO 8601 time in UTC, as 2026-05-04T09:12:00Z",
    });
};
const listOf =
  (item: Check, least = 0): Check =>
  (v, path, problems) => {
    if (!Array.isArray(v) || v.length < least) {
      problems.push({ path, value: v, allowed: `give a list of at least ${least}` });
      return;
    }
    for (const [i, x] of v.entries()) item(x, `${path}[${i}]`, problems);
  };
const mapOf =
  (item: Check): Check =>
  (v, path, problems) => {
    if (!isObject(v)) {
      problems.push({ path, value: v, allowed: "give an object" });
      return;
    }
    for (const [k, x] of Object.entries(v)) item(x, `${path}.${k}`, problems);
  };

/** An object with these fields (optional ones end in `?`), and no other. */
function object(fields: Record<string, Check>): Check {
  return (v, path, problems) => {
    if (!isObject(v)) {
      problems.push({ path, value: v, allowed: "give an object" });
      return;
    }
    const known = Object.keys(fields).map((f) => f.replace(/\?$/, ""));
    for (const key of Object.keys(v))
      if (!known.includes(key))
        problems.push({
          path: `${path}.${key}`,
          value: v[key],
          allowed: `remove it; the fields are ${known.join(", ")}`,
        });
    for (const [field, check] of Object.entries(fields)) {
      const name = field.replace(/\?$/, "");
      if (v[name] === undefined) {
        if (!field.endsWith("?"))
          problems.push({ path: `${path}.${name}`, value: undefined, allowed: "it is required" });
      } else check(v[name], `${path}.${name}`, problems);
    }
  };
}

const document = object({
  schemaVersion: oneOf(COMPARISON_SCHEMA_VERSION),
  "sample?": oneOf(true, false),
  run: object({ startedAt: dateTime, minosVersion: text, "note?": text }),
  clusters: listOf(
    object({
      name: text,
      os: text,
      platform: text,
      location: text,
      kubernetesVersion: text,
      cni: text,
      machines: listOf(object({ group: text, machineType: text, count }), 1),
      nodes: object({ image: text, kernel: text, runtime: text, kubelet: text }),
      "userDataBytes?": mapOf(count),
      "posture?": mapOf(text),
    }),
    1,
  ),
  probes: mapOf(object({ title: text, image: text, unit: text, better: oneOf("lower", "higher") })),
  results: listOf(
    object({
      probe: text,
      cluster: text,
      status: oneOf("ok", "failed"),
      samples: listOf(finite),
      "reason?": text,
    }),
  ),
});

/**
 * Every way a parsed document fails the schema (`docs/comparison.schema.json`)
 * or its rules across fields: unique cluster names, results naming a known
 * probe and cluster, once each, a reason on every failure and a sample on
 * every success. Empty when it is valid.
 */
export function comparisonProblems(value: unknown): ComparisonProblem[] {
  const problems: ComparisonProblem[] = [];
  document(value, "$", problems);
  if (problems.length > 0 || !isObject(value)) return problems;
  const doc = value as unknown as ComparisonDocument;
  const names = new Set<string>();
  doc.clusters.forEach((c, i) => {
    if (names.has(c.name))
      problems.push({
        path: `$.clusters[${i}].name`,
        value: c.name,
        allowed: "give each cluster its own name",
      });
    names.add(c.name);
  });
  const seen = new Set<string>();
  doc.results.forEach((r, i) => {
    const at = `$.results[${i}]`;
    if (!(r.probe in doc.probes))
      problems.push({
        path: `${at}.probe`,
        value: r.probe,
        allowed: `name a probe of $.probes (${Object.keys(doc.probes).join(", ")})`,
      });
    if (!names.has(r.cluster))
      problems.push({
        path: `${at}.cluster`,
        value: r.cluster,
        allowed: `name a cluster of $.clusters (${[...names].join(", ")})`,
      });
    const key = JSON.stringify([r.probe, r.cluster]);
    if (seen.has(key))
      problems.push({
        path: at,
        value: `${r.probe} on ${r.cluster}`,
        allowed: "give one result per probe and cluster",
      });
    seen.add(key);
    if (r.status === "failed" && r.reason === undefined)
      problems.push({
        path: `${at}.reason`,
        value: undefined,
        allowed: "a failed result says why",
      });
    if (r.status === "ok" && r.samples.length === 0)
      problems.push({
        path: `${at}.samples`,
        value: [],
        allowed: "an ok result holds at least one sample",
      });
  });
  return problems;
}

/**
 * A document read from `source` (a file name, for messages), checked: a
 * MinosError naming the source and the first field that fails, with what it
 * allows, when it is not valid JSON or not a valid comparison.
 */
export function parseComparison(json: string, source: string): ComparisonDocument {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new MinosError("$", undefined, `give JSON (in ${source}: ${(e as Error).message})`);
  }
  const [first] = comparisonProblems(value);
  if (first) throw new MinosError(first.path, first.value, `${first.allowed} (in ${source})`);
  return value as ComparisonDocument;
}
