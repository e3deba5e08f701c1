import { differences } from "./differences.js";
import type { LoadedComparison } from "./summary.js";
import {
  clusterFacts,
  FACT_COLUMNS,
  formatNumber,
  postureFacts,
  probeBars,
  reportClusters,
  reportProbes,
} from "./summary.js";

/** A table cell: pipes escaped, line breaks flattened. */
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll(/\s*\n\s*/g, " ");
const row = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
const table = (header: string[], rows: string[][]) =>
  [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");

/** The report as Markdown, for a pull-request comment: one table per probe, the facts, what differed. */
export function renderMarkdown(files: LoadedComparison[]): string {
  const clusters = reportClusters(files);
  const out: string[] = ["## minos OS comparison", ""];
  for (const f of files.filter((f) => f.document.sample))
    out.push(`> **SAMPLE DATA:** ${f.label} is a made-up sample, not a measurement.`, "");
  out.push(
    table(
      ["file", "started (UTC)", "minos", "note"],
      files.map((f) => [
        f.label,
        f.document.run.startedAt,
        f.document.run.minosVersion,
        f.document.run.note ?? "",
      ]),
    ),
    "",
    "### What differed, other than the OS",
    "",
  );
  const diffs = differences(clusters);
  if (diffs.length === 0) out.push("Nothing.");
  for (const d of diffs)
    out.push(
      `- **${d.fact}**: ${d.values.map((v) => `${v.value} (${v.clusters.join(", ")})`).join("; ")}`,
    );
  for (const [name, probe] of reportProbes(files)) {
    out.push(
      "",
      `### ${probe.title} (${probe.unit}, ${probe.better} is better)`,
      "",
      `\`${name}\` · \`${probe.image}\``,
      "",
    );
    out.push(
      table(
        ["cluster", "OS", "median", "min", "max", "samples", "status"],
        probeBars(files, name).map((b) => [
          b.at.label,
          b.at.cluster.os,
          ...[b.median, b.min, b.max].map((v) => (v === undefined ? "-" : formatNumber(v))),
          String(b.result?.samples.length ?? 0),
          b.result === undefined
            ? "no result"
            : b.result.status === "ok"
              ? "ok"
              : `failed: ${b.result.reason}`,
        ]),
      ),
    );
  }
  // A run's documents hold the host posture; a column of nothing but "-" is left out.
  const withPosture = clusters.some((c) => postureFacts(c.cluster).length > 0);
  out.push(
    "",
    "### Clusters",
    "",
    table(
      ["cluster", "OS", ...FACT_COLUMNS, ...(withPosture ? ["host posture"] : [])],
      clusters.map(({ cluster: c, label }) => [
        label,
        c.os,
        ...clusterFacts(c),
        ...(withPosture ? [postureFacts(c).join("; ") || "-"] : []),
      ]),
    ),
    "",
  );
  return out.join("\n");
}
