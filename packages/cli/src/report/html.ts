import { osColour, probeChart } from "./chart.js";
import { differences } from "./differences.js";
import { escapeHtml as e } from "./escape.js";
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

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; background: #fff; margin: 24px 32px; max-width: 1240px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid #d8dce3; padding-bottom: 4px; }
.sample { background: #fff4d6; border: 2px solid #e0a800; padding: 8px 12px; font-weight: 600; margin: 12px 0; }
.legend { display: flex; gap: 18px; margin: 8px 0 4px; } .legend span { display: inline-flex; align-items: center; gap: 6px; }
.swatch { width: 14px; height: 14px; border-radius: 2px; display: inline-block; }
.charts { display: grid; grid-template-columns: repeat(2, 600px); gap: 12px 24px; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; } figcaption small { display: block; font-weight: 400; color: #5a6270; font-size: 12px; }
.failure { color: #b00020; font-size: 13px; margin-top: 4px; }
svg.chart { font-size: 12px; background: #fbfcfd; border: 1px solid #e3e6eb; }
svg .grid { stroke: #e3e6eb; } svg .axis { stroke: #1d2330; } svg .tick { fill: #5a6270; }
svg .spread { stroke: #1d2330; stroke-width: 1.5; } svg .value { fill: #1d2330; font-weight: 600; }
svg .category { fill: #1d2330; } svg .axis-label { fill: #1d2330; font-weight: 600; } svg .failed text { fill: #b00020; font-weight: 600; }
table { border-collapse: collapse; font-size: 13px; } th, td { border: 1px solid #d8dce3; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f6; } ul { margin: 4px 0; }
tr.posture td { border-top: none; font-size: 12px; color: #3a4150; overflow-wrap: anywhere; }
`;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script
 * and nothing fetched. The same files give the same bytes.
 */
export function renderHtml(files: LoadedComparison[]): string {
  const clusters = reportClusters(files);
  const oses = [...new Set(clusters.map((c) => c.cluster.os))];
  const sample = files.filter((f) => f.document.sample).map((f) => f.label);
  const diffs = differences(clusters);
  const charts = reportProbes(files).map(([name, probe]) => {
    const bars = probeBars(files, name);
    const failed = bars.filter((b) => b.result?.status === "failed");
    return [
      `<figure data-probe="${e(name)}"><figcaption>${e(probe.title)} <small>${e(name)} · ${e(probe.image)}</small></figcaption>`,
      probeChart(name, probe, bars, oses),
      ...failed.map(
        (b) => `<div class="failure">✕ ${e(b.at.label)}: ${e(b.result?.reason ?? "")}</div>`,
      ),
      "</figure>",
    ].join("\n");
  });
  const header = [
    ...(files.length > 1 ? ["file"] : []),
    "cluster",
    "OS",
    ...FACT_COLUMNS,
    "user-data bytes",
  ];
  // Each cluster's row, and under it, across the table, its host posture (a
  // kernel command line is too long for a column).
  const facts = clusters.map(({ file, cluster: c, label }) => {
    const cells = [
      ...(files.length > 1 ? [e(file)] : []),
      e(label),
      `<span class="swatch" style="background:${osColour(c.os, oses)}"></span> ${e(c.os)}`,
      ...clusterFacts(c).map((v) => e(v)),
      e(
        Object.entries(c.userDataBytes ?? {})
          .map(([k, v]) => `${k} ${formatNumber(v)}`)
          .join(", ") || "-",
      ),
    ];
    const posture = postureFacts(c);
    return [
      `<tr>${cells.map((cell) => `<td>${cell}</td>`).join("")}</tr>`,
      ...(posture.length > 0
        ? [
            `<tr class="posture"><td></td><td colspan="${header.length - 1}"><b>host posture</b> ${posture.map(e).join(" · ")}</td></tr>`,
          ]
        : []),
    ].join("");
  });
  return [
    "<!DOCTYPE html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>minos OS comparison${sample.length ? " (sample)" : ""}</title>`,
    `<style>${STYLE}</style></head><body>`,
    "<h1>minos OS comparison</h1>",
    ...sample.map(
      (f) => `<p class="sample">SAMPLE DATA: ${e(f)} is a made-up sample, not a measurement.</p>`,
    ),
    "<table><tr><th>file</th><th>started (UTC)</th><th>minos</th><th>note</th></tr>",
    ...files.map(
      (f) =>
        `<tr><td>${e(f.label)}</td><td>${e(f.document.run.startedAt)}</td><td>${e(f.document.run.minosVersion)}</td><td>${e(f.document.run.note ?? "")}</td></tr>`,
    ),
    "</table>",
    "<h2>What differed, other than the OS</h2>",
    diffs.length === 0
      ? "<p>Nothing: every cluster had the same platform, location, Kubernetes version, CNI, machine types and counts.</p>"
      : `<ul class="differences">${diffs
          .map(
            (d) =>
              `<li><b>${e(d.fact)}</b>: ${d.values.map((v) => `${e(v.value)} (${e(v.clusters.join(", "))})`).join("; ")}</li>`,
          )
          .join("")}</ul>`,
    "<h2>Probes</h2>",
    `<div class="legend">${oses.map((os) => `<span><i class="swatch" style="background:${osColour(os, oses)}"></i>${e(os)}</span>`).join("")}</div>`,
    `<div class="charts">${charts.join("\n")}</div>`,
    "<h2>Clusters</h2>",
    `<table class="facts"><tr>${header.map((h) => `<th>${h}</th>`).join("")}</tr>`,
    ...facts,
    "</table>",
    "</body></html>",
    "",
  ].join("\n");
}
