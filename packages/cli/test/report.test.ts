import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ComparisonDocument } from "@minos/core";
import { comparisonProblems } from "@minos/core";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { report } from "../src/report/report.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The labelled sample document of docs/: made-up numbers, `"sample": true`. */
const SAMPLE_PATH = join(ROOT, "docs/sample-comparison.json");
const SAMPLE = JSON.parse(readFileSync(SAMPLE_PATH, "utf8")) as ComparisonDocument;
const SCHEMA = JSON.parse(readFileSync(join(ROOT, "docs/comparison.schema.json"), "utf8"));
const schemaValid = new Ajv2020({ allErrors: true }).compile(SCHEMA);
const MINOS = join(ROOT, "packages/cli/bin/minos.js");

/** A copy of the sample written to a scratch folder, changed by `edit`. */
function sampleFile(edit: (d: ComparisonDocument & Record<string, unknown>) => void = () => {}) {
  const doc = structuredClone(SAMPLE) as ComparisonDocument & Record<string, unknown>;
  edit(doc);
  const path = join(mkdtempSync(join(tmpdir(), "minos-report-")), "comparison.json");
  writeFileSync(path, JSON.stringify(doc));
  return { path, doc };
}

describe("the comparison document", () => {
  it("the sample is labelled a sample and passes the published schema and the validator", () => {
    expect(SAMPLE.sample).toBe(true);
    expect(SAMPLE.run.note).toMatch(/sample/i);
    expect(schemaValid(SAMPLE), JSON.stringify(schemaValid.errors)).toBe(true);
    expect(comparisonProblems(SAMPLE)).toEqual([]);
  });

  it("takes a cluster's posture facts as text, in the schema and the validator alike", () => {
    const { doc } = sampleFile((d) =>
      Object.assign(d.clusters[0] ?? {}, {
        posture: { selinux: "disabled", cgroupVersion: "2", cmdline: "root=LABEL=ROOT" },
      }),
    );
    expect(schemaValid(doc), JSON.stringify(schemaValid.errors)).toBe(true);
    expect(comparisonProblems(doc)).toEqual([]);
  });

  // Each bad row: what the published schema says, and the field minos names.
  const BAD: [
    string,
    (d: ComparisonDocument & Record<string, unknown>) => void,
    string,
    boolean,
  ][] = [
    [
      "a newer schema version",
      (d) => Object.assign(d, { schemaVersion: 2 }),
      "$.schemaVersion",
      true,
    ],
    ["an unknown top-level field", (d) => Object.assign(d, { extra: 1 }), "$.extra", true],
    [
      "a local start time",
      (d) => Object.assign(d.run, { startedAt: "2026-05-04 09:12" }),
      "$.run.startedAt",
      true,
    ],
    ["no clusters", (d) => Object.assign(d, { clusters: [] }), "$.clusters", true],
    [
      "a count that is not whole",
      (d) => Object.assign(d.clusters[0]?.machines[0] ?? {}, { count: 1.5 }),
      "$.clusters[0].machines[0].count",
      true,
    ],
    [
      "a posture fact that is no text",
      (d) => Object.assign(d.clusters[0] ?? {}, { posture: { cgroupVersion: 2 } }),
      "$.clusters[0].posture.cgroupVersion",
      true,
    ],
    [
      "a sample that is text",
      (d) => Object.assign(d.results[1] ?? {}, { samples: ["2.4"] }),
      "$.results[1].samples[0]",
      true,
    ],
    [
      "a failure without a reason",
      (d) => Object.assign(d.results[0] ?? {}, { status: "failed" }),
      "$.results[0].reason",
      true,
    ],
    [
      "an ok result with no sample",
      (d) => Object.assign(d.results[0] ?? {}, { samples: [] }),
      "$.results[0].samples",
      true,
    ],
    [
      "a probe better neither way",
      (d) => Object.assign(d.probes["pod-start"] ?? {}, { better: "more" }),
      "$.probes.pod-start.better",
      true,
    ],
    // Across fields, which JSON Schema cannot say: minos' validator alone.
    [
      "a result of an unknown cluster",
      (d) => Object.assign(d.results[0] ?? {}, { cluster: "ubuntu" }),
      "$.results[0].cluster",
      false,
    ],
    [
      "a result of an unknown probe",
      (d) => Object.assign(d.results[0] ?? {}, { probe: "disk" }),
      "$.results[0].probe",
      false,
    ],
  ];
  it.each(BAD)("refuses %s, naming the field", (_, edit, path, schemaSaysSo) => {
    const { doc } = sampleFile(edit);
    expect(schemaValid(doc)).toBe(!schemaSaysSo);
    expect(comparisonProblems(doc)[0]?.path).toBe(path);
    expect(() => report([sampleFile(edit).path])).toThrow(path);
  });
});

describe("minos report", () => {
  it("renders the same bytes from the same input, in both formats", () => {
    for (const format of ["html", "md"]) {
      const a = report([SAMPLE_PATH, "--format", format]);
      const b = report([SAMPLE_PATH, "--format", format]);
      expect(a).not.toBe("help");
      expect(a === "help" ? "" : a.text).toBe(b === "help" ? "" : b.text);
    }
  });

  it("writes a self-contained page that says it shows a sample", () => {
    const r = report([SAMPLE_PATH]);
    const html = r === "help" ? "" : r.text;
    expect(html).toContain("SAMPLE DATA");
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=/i);
    expect(html.match(/<svg class="chart"/g)).toHaveLength(Object.keys(SAMPLE.probes).length);
  });

  it("--format md gives a table per probe, the facts and what differed", () => {
    const r = report([SAMPLE_PATH, "--format", "md"]);
    const md = r === "help" ? "" : r.text;
    expect(md).toContain("**SAMPLE DATA:**");
    expect(md).toContain("### Pod start (create to ready) (s, lower is better)");
    expect(md).toContain("| cluster | OS | median | min | max | samples | status |");
    expect(md).toMatch(/\| fcos \| fcos \| - \| - \| - \| 1 \| failed: iperf3 client timed out/);
    expect(md).toContain("### What differed, other than the OS\n\nNothing.");
  });

  it("shows each cluster's host posture facts with its other facts, and nothing when none has any", () => {
    const withPosture = sampleFile((d) => {
      Object.assign(d.clusters[0] ?? {}, {
        posture: {
          cmdline: "root=LABEL=ROOT console=<ttyS0>",
          cgroupVersion: "2",
          selinux: "permissive",
          extra: "x",
        },
      });
      Object.assign(d.clusters[1] ?? {}, { posture: { selinux: "enforcing" } });
    });
    const md = report([withPosture.path, "--format", "md"]);
    const mdText = md === "help" ? "" : md.text;
    expect(mdText).toContain("| kubelet | host posture |");
    // A fixed order (SELinux, AppArmor, lockdown, cgroup, command line), then any other by key.
    expect(mdText).toMatch(
      /\| flatcar \| flatcar \|.*\| SELinux: permissive; cgroup: 2; kernel command line: root=LABEL=ROOT console=<ttyS0>; extra: x \|$/m,
    );
    expect(mdText).toMatch(/\| fcos \| fcos \|.*\| SELinux: enforcing \|$/m);
    expect(mdText).toMatch(/\| talos \| talos \|.*\| - \|$/m);
    const html = report([withPosture.path]);
    const page = html === "help" ? "" : html.text;
    // In the page, under each cluster's row and across the table: a command line is long.
    expect(page).toContain(
      '<tr class="posture"><td></td><td colspan="11"><b>host posture</b> SELinux: permissive · cgroup: 2 · kernel command line: root=LABEL=ROOT console=&lt;ttyS0&gt; · extra: x</td></tr>',
    );
    expect(page.match(/<tr class="posture">/g)).toHaveLength(2);
    expect(page.indexOf("<td>fcos</td>")).toBeGreaterThan(page.indexOf('class="posture"'));
    // The sample has none: its table is as before.
    const plain = report([SAMPLE_PATH]);
    expect(plain === "help" ? "" : plain.text).not.toContain("host posture");
  });

  it("shows several files side by side and lists what differed besides the OS", () => {
    const other = sampleFile((d) => {
      for (const c of d.clusters) Object.assign(c, { platform: "gcp", location: "europe-west1-b" });
      Object.assign(d.clusters[0]?.machines[1] ?? {}, { count: 3 });
    });
    const r = report([SAMPLE_PATH, other.path, "--format", "md"]);
    const md = r === "help" ? "" : r.text;
    expect(md).toContain(`| flatcar (${other.path}) | flatcar |`);
    expect(md).toMatch(/- \*\*platform\*\*: aws \(flatcar \(.*\), fcos .*; gcp \(/);
    expect(md).toContain("- **machine counts**:");
    expect(md).not.toContain("- **CNI**");
  });

  it("refuses a bad file on the command line: one line naming file and field, exit 2", () => {
    const bad = sampleFile((d) => Object.assign(d.results[2] ?? {}, { samples: [null] }));
    const run = spawnSync(
      process.execPath,
      [MINOS, "report", bad.path, "--out", `${bad.path}.html`],
      {
        encoding: "utf8",
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(
      `minos: invalid $.results[2].samples[0]: null; give a finite number (in ${bad.path})`,
    );
    const usage = spawnSync(process.execPath, [MINOS, "report"], { encoding: "utf8" });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("Usage: minos report <comparison.json ...>");
  });
});
