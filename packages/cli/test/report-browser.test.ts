/**
 * `minos report`'s page in a real browser: Debian's headless Chromium takes
 * a screenshot and dumps the DOM it built; every probe's chart must have
 * drawn bars of non-zero height and labelled axes, and the picture must be
 * more than one colour.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { expect, it } from "vitest";
import { haveTool } from "../../../test/support/system-tools.js";
import { report } from "../src/report/report.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The labelled sample of docs/ (made-up numbers, `"sample": true`). */
const SAMPLE = join(ROOT, "docs/sample-comparison.json");
const CHROMIUM = "chromium";

const chromium = (...args: string[]) =>
  spawnSync(
    CHROMIUM,
    ["--headless", "--disable-gpu", "--no-sandbox", "--window-size=1280,2000", ...args],
    {
      encoding: "utf8",
      timeout: 90_000,
      maxBuffer: 32 * 1024 * 1024,
    },
  );

it.runIf(haveTool("headless Chromium", CHROMIUM))(
  "headless Chromium renders the sample's report with every chart drawn",
  { timeout: 180_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "minos-report-browser-"));
    const page = join(dir, "report.html");
    const result = report([SAMPLE]);
    writeFileSync(page, result === "help" ? "" : result.text);
    const probes = Object.keys(JSON.parse(readFileSync(SAMPLE, "utf8")).probes);

    const png = join(dir, "report.png");
    const shot = chromium(`--screenshot=${png}`, `file://${page}`);
    expect(shot.status, shot.stderr).toBe(0);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    const image = PNG.sync.read(readFileSync(png));
    expect([image.width, image.height]).toEqual([1280, 2000]);
    const colours = new Set<number>();
    for (let i = 0; i < image.data.length; i += 4 * 97) colours.add(image.data.readUInt32BE(i));
    expect(colours.size).toBeGreaterThan(8);

    const dom = chromium("--dump-dom", `file://${page}`);
    expect(dom.status, dom.stderr).toBe(0);
    const html = dom.stdout;
    expect(html).toContain("SAMPLE DATA");
    for (const probe of probes) {
      const svg = new RegExp(`<svg class="chart" data-probe="${probe}"[\\s\\S]*?</svg>`).exec(
        html,
      )?.[0];
      expect(svg, `the chart of ${probe}`).toBeDefined();
      const heights = [...(svg ?? "").matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) =>
        Number(m[1]),
      );
      expect(heights.length, `bars of ${probe}`).toBeGreaterThan(0);
      for (const h of heights) expect(h, `a bar of ${probe}`).toBeGreaterThan(0);
      expect(svg).toMatch(/class="axis-label y-label"[^>]*>[^<]+\(\w+ is better\)</);
      expect(svg).toMatch(/class="axis-label x-label"[^>]*>cluster/);
      expect(svg?.match(/class="tick"/g)?.length ?? 0).toBeGreaterThan(2);
    }
  },
);
