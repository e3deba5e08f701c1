/**
 * The README's picture of `minos report` is the sample's report as Debian's
 * headless Chromium renders it today: the test renders it again and
 * compares pixel by pixel, so a change to the report or to the sample that
 * leaves the picture stale fails here. `MINOS_UPDATE_PICTURE=1` writes the
 * new picture instead (look at it before committing it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { haveTool } from "../../../test/support/system-tools.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
// The built command (`pnpm test` builds before testing).
const MINOS = join(ROOT, "packages/cli/bin/minos.js");
const PICTURE = join(ROOT, "docs/sample-report.png");
const SIZE = [1280, 2250] as const;

/** The sample's report, rendered to a PNG file by headless Chromium. */
function render(): string {
  const dir = mkdtempSync(join(tmpdir(), "minos-readme-picture-"));
  const page = join(dir, "report.html");
  // As a user runs it, from the checkout's root: the page names the file as given.
  const made = spawnSync("node", [MINOS, "report", "docs/sample-comparison.json", "--out", page], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (made.status !== 0) throw new Error(`minos report: ${made.stderr}`);
  const png = join(dir, "report.png");
  const shot = spawnSync(
    "chromium",
    [
      "--headless",
      "--disable-gpu",
      "--no-sandbox",
      "--hide-scrollbars",
      `--window-size=${SIZE.join(",")}`,
      `--screenshot=${png}`,
      `file://${page}`,
    ],
    { encoding: "utf8", timeout: 90_000 },
  );
  if (shot.status !== 0) throw new Error(`chromium: ${shot.stderr}`);
  return png;
}

describe("the README's picture of the sample report", () => {
  it("is on the README's first page, said to be a sample", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const at = readme.indexOf("](docs/sample-report.png)");
    expect(at).toBeGreaterThan(0);
    expect(readme.split("\n").findIndex((l) => l.includes("docs/sample-report.png"))).toBeLessThan(
      60,
    );
    expect(readme.slice(Math.max(0, at - 500), at)).toMatch(/is a sample/);
    expect(existsSync(PICTURE)).toBe(true);
    const image = PNG.sync.read(readFileSync(PICTURE));
    expect([image.width, image.height]).toEqual([...SIZE]);
  });

  it.runIf(haveTool("headless Chromium", "chromium"))(
    "is what headless Chromium renders of `minos report docs/sample-comparison.json`",
    { timeout: 180_000 },
    () => {
      const fresh = readFileSync(render());
      if (process.env.MINOS_UPDATE_PICTURE === "1") writeFileSync(PICTURE, fresh);
      const a = PNG.sync.read(fresh);
      const b = PNG.sync.read(readFileSync(PICTURE));
      expect([a.width, a.height]).toEqual([b.width, b.height]);
      let differ = 0;
      for (let i = 0; i < a.data.length; i += 4)
        if (a.data.readUInt32BE(i) !== b.data.readUInt32BE(i)) differ++;
      // Font hinting may move a few pixels between Chromium builds; a stale picture moves many.
      expect(differ / (a.width * a.height)).toBeLessThan(0.005);
    },
  );
});
