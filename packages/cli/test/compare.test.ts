import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { comparisonProblems } from "@minos/core/render";
import { describe, expect, it } from "vitest";

const MINOS = fileURLToPath(new URL("../bin/minos.js", import.meta.url));
const SAMPLE = readFileSync(
  new URL("../../../docs/sample-comparison.json", import.meta.url),
  "utf8",
);

/** Runs `minos` with `stdin`, resolving with its exit code and output. */
function minos(args: string[], stdin = "", cwd = tmpdir()) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [MINOS, ...args], { cwd }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe("minos compare export", () => {
  it("writes what pulumi stack output --json comparison printed, from stdin, checked and indented", async () => {
    const dir = mkdtempSync(join(tmpdir(), "minos-compare-"));
    const piped = JSON.stringify(JSON.parse(SAMPLE));
    const run = await minos(["compare", "export", "--out", "run.json"], piped, dir);
    expect(run).toMatchObject({
      code: 0,
      stderr: "minos: wrote the comparison document to run.json\n",
    });
    const written = readFileSync(join(dir, "run.json"), "utf8");
    expect(JSON.parse(written)).toEqual(JSON.parse(SAMPLE));
    expect(written).toBe(`${JSON.stringify(JSON.parse(SAMPLE), null, 2)}\n`);
    expect(comparisonProblems(JSON.parse(written))).toEqual([]);
  });

  it("takes a file, or the whole stack's outputs, and prints to stdout without --out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "minos-compare-"));
    writeFileSync(
      join(dir, "outputs.json"),
      JSON.stringify({ comparison: JSON.parse(SAMPLE), comparisonTable: "| OS |" }),
    );
    const run = await minos(["compare", "export", "outputs.json"], "", dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(SAMPLE));
  });

  it("refuses a secret Pulumi did not show, a document off the schema, and no subcommand (exit 2)", async () => {
    const secret = await minos(["compare", "export"], '"[secret]"');
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain("--show-secrets");
    const bad = JSON.parse(SAMPLE);
    bad.results[0].status = "maybe";
    const off = await minos(["compare", "export", "-"], JSON.stringify(bad));
    expect(off.code).toBe(2);
    expect(off.stderr).toContain("$.results[0].status");
    expect(off.stderr).toContain("stdin");
    const none = await minos(["compare"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("name a subcommand: export");
  });
});
