import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as aws from "../packages/aws/src/versions.js";
import * as bottlerocket from "../packages/bottlerocket/src/versions.js";
import * as core from "../packages/core/src/versions.js";
import * as fcos from "../packages/fcos/src/versions.js";
import * as flatcar from "../packages/flatcar/src/versions.js";
import * as gcp from "../packages/gcp/src/versions.js";
import * as kvm from "../packages/kvm/src/versions.js";
import * as talos from "../packages/talos/src/versions.js";
import * as workload from "../packages/workload/src/versions.js";

/** How docs/versions.md's table shows a pinned value. */
function cell(value: unknown): string {
  if (typeof value === "string" || typeof value === "number") return `\`${value}\``;
  if (Array.isArray(value)) return value.map((minor) => `\`1.${minor}\``).join(", ");
  const v = value as Record<string, unknown>;
  if ("defaultVersion" in v)
    return `\`1.${v.minMinor}\`–\`1.${v.maxMinor}\`, default \`${v.defaultVersion}\``;
  if ("min" in v) return `\`aws-k8s-1.${v.min}\`–\`aws-k8s-1.${v.max}\``;
  // A release per Kubernetes minor (cluster-autoscaler's): `1.31` → `1.31.5`, ...
  if (Object.keys(v).length > 0 && Object.keys(v).every((k) => /^\d+$/.test(k)))
    return Object.entries(v)
      .map(([minor, release]) => `\`1.${minor}\` → \`${release}\``)
      .join(", ");
  throw new Error(`no docs/versions.md form for ${JSON.stringify(value)}`);
}

/** The constants every versions module pins, by `package` and name. */
function pinned(): Record<string, string> {
  const modules: [string, Record<string, unknown>][] = [
    ["core", core],
    ["flatcar", flatcar],
    ["fcos", fcos],
    ["talos", talos],
    ["bottlerocket", bottlerocket],
    ["workload", workload],
    ["aws", aws],
    ["kvm", kvm],
    ["gcp", gcp],
  ];
  const rows: Record<string, string> = {};
  for (const [pkg, module] of modules)
    for (const [name, value] of Object.entries(module)) {
      // Functions (validators) and what is not a version (URLs of mirrors) are not in the table.
      if (typeof value === "function" || /_URL$|_REPO$/.test(name)) continue;
      rows[`${pkg} \`${name}\``] = cell(value);
    }
  return rows;
}

/** docs/versions.md's "Pinned versions" table: `package` + constant cell → value cell. */
function pinnedTable(): Record<string, string> {
  const page = readFileSync(new URL("../docs/versions.md", import.meta.url), "utf8");
  const section = page.split(/^## /m).find((s) => s.startsWith("Pinned versions"));
  if (!section) throw new Error("docs/versions.md has no Pinned versions section");
  const rows: Record<string, string> = {};
  for (const line of section.split("\n").filter((l) => l.startsWith("| "))) {
    const [pkg, constant, value] = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    if (!pkg || pkg === "package" || pkg.startsWith("-")) continue;
    rows[`${pkg.replace(/`/g, "")} ${constant}`] = value ?? "";
  }
  return rows;
}

describe("docs/versions.md", () => {
  it("lists every pinned version with the value its package's versions module holds", () => {
    const table = pinnedTable();
    expect(Object.keys(table).length).toBeGreaterThan(5);
    expect(table).toEqual(pinned());
  });
});
