import type { ComparisonProbe } from "@minos/core/render";
import { escapeHtml } from "./escape.js";
import type { ProbeBar } from "./summary.js";
import { formatNumber } from "./summary.js";

/** One colour per OS, distinguishable side by side; other OSes take the spares in turn. */
const OS_COLOURS: Record<string, string> = {
  flatcar: "#1f6fb4",
  fcos: "#c8384e",
  talos: "#e08a00",
  bottlerocket: "#2a9d5c",
};
const SPARE_COLOURS = ["#6a4c93", "#4d4d4d", "#0f8b8d", "#8c564b"];

/** The colour of an OS's bars and swatches. */
export function osColour(os: string, allOses: string[]): string {
  const known = OS_COLOURS[os];
  if (known) return known;
  const spares = allOses.filter((o) => !OS_COLOURS[o]);
  return SPARE_COLOURS[spares.indexOf(os) % SPARE_COLOURS.length] as string;
}

/** A round step for about five gridlines up to `max`. */
function niceStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10;
  return step * power;
}

const WIDTH = 600;
const HEIGHT = 320;
const LEFT = 64;
const RIGHT = 16;
const TOP = 16;
const BOTTOM = 72;

/**
 * One probe's chart as inline SVG: a bar per cluster at its median, a
 * whisker from min to max, the value above, the y axis in the probe's unit
 * and each cluster named under its bar; a failed result is a marked gap.
 */
export function probeChart(
  name: string,
  probe: ComparisonProbe,
  bars: ProbeBar[],
  oses: string[],
): string {
  const top = Math.max(0, ...bars.map((b) => b.max ?? 0));
  const step = niceStep(top > 0 ? top : 1);
  const yMax = Math.ceil((top > 0 ? top * 1.08 : 1) / step) * step;
  const plotH = HEIGHT - TOP - BOTTOM;
  const plotW = WIDTH - LEFT - RIGHT;
  const y = (v: number) => TOP + plotH - (v / yMax) * plotH;
  const slot = plotW / Math.max(1, bars.length);
  const barW = Math.min(56, slot * 0.6);
  const parts: string[] = [];
  for (let v = 0; v <= yMax + step / 2; v += step) {
    const gy = y(v).toFixed(1);
    parts.push(
      `<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${gy}" y2="${gy}"/>`,
      `<text class="tick" x="${LEFT - 6}" y="${gy}" text-anchor="end" dominant-baseline="middle">${formatNumber(v)}</text>`,
    );
  }
  bars.forEach((b, i) => {
    const cx = LEFT + slot * i + slot / 2;
    const label = escapeHtml(b.at.label);
    parts.push(
      `<text class="category" x="${cx.toFixed(1)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${label}</text>`,
    );
    if (b.median === undefined || b.min === undefined || b.max === undefined) {
      const why = b.result?.reason ?? "no result";
      parts.push(
        `<g class="failed" data-cluster="${label}"><title>${escapeHtml(why)}</title>` +
          `<text x="${cx.toFixed(1)}" y="${(y(0) - 10).toFixed(1)}" text-anchor="middle">✕ ${b.result ? "failed" : "none"}</text></g>`,
      );
      return;
    }
    const colour = osColour(b.at.cluster.os, oses);
    const h = y(0) - y(b.median);
    const n = b.result?.samples.length ?? 0;
    parts.push(
      `<g class="bar" data-cluster="${label}" data-median="${b.median}">` +
        `<title>${label}: median ${formatNumber(b.median)} ${escapeHtml(probe.unit)}, min ${formatNumber(b.min)}, max ${formatNumber(b.max)}, ${n} sample${n === 1 ? "" : "s"}</title>` +
        `<rect x="${(cx - barW / 2).toFixed(1)}" y="${y(b.median).toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}"/>` +
        `<line class="spread" x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(b.min).toFixed(1)}" y2="${y(b.max).toFixed(1)}"/>` +
        `<line class="spread" x1="${(cx - 8).toFixed(1)}" x2="${(cx + 8).toFixed(1)}" y1="${y(b.min).toFixed(1)}" y2="${y(b.min).toFixed(1)}"/>` +
        `<line class="spread" x1="${(cx - 8).toFixed(1)}" x2="${(cx + 8).toFixed(1)}" y1="${y(b.max).toFixed(1)}" y2="${y(b.max).toFixed(1)}"/>` +
        `<text class="value" x="${cx.toFixed(1)}" y="${(y(b.max) - 6).toFixed(1)}" text-anchor="middle">${formatNumber(b.median)}</text></g>`,
    );
  });
  const axisLabel = `${escapeHtml(probe.unit)} (${probe.better} is better)`;
  return [
    `<svg class="chart" data-probe="${escapeHtml(name)}" role="img" aria-label="${escapeHtml(probe.title)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">`,
    ...parts,
    `<line class="axis" x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${y(0).toFixed(1)}"/>`,
    `<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}"/>`,
    `<text class="axis-label y-label" x="14" y="${(TOP + plotH / 2).toFixed(1)}" text-anchor="middle" transform="rotate(-90 14 ${(TOP + plotH / 2).toFixed(1)})">${axisLabel}</text>`,
    `<text class="axis-label x-label" x="${(LEFT + plotW / 2).toFixed(1)}" y="${HEIGHT - 12}" text-anchor="middle">cluster (bar: median; whisker: min to max)</text>`,
    "</svg>",
  ].join("\n");
}
