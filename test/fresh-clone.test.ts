import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// A newcomer's first minutes, in a bare environment: Debian's Node and npm
// on PATH and nothing else (no pnpm, no Node 22, an empty home), a fresh
// clone of this commit, the toolchain sourced as CONTRIBUTING and .ci/run
// source it, the README's `pnpm install`, then `minos plan` on every example.
// It reaches the npm registry, as CI does; the package store is the
// machine's, so only the toolchain is fetched anew.

const ROOT = join(import.meta.dirname, "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const WANT_NODE = Number(/\d+/.exec(manifest.engines.node)?.[0]);
const WANT_PNPM = manifest.packageManager.split("@")[1] as string;
const EXAMPLES = readdirSync(join(ROOT, "examples"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** Config an example requires (its README's first `pulumi config set`), as a newcomer passes it. */
const REQUIRED: Record<string, string[]> = {
  "gcp-flatcar": ["--config", "gcp:region=europe-west1"],
};

let work: string;
let clone: string;
let env: NodeJS.ProcessEnv;

/** Runs a bash script in the clone with the bare environment, toolchain sourced first. */
async function bare(script: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(
    "bash",
    ["-c", `set -euo pipefail; . scripts/toolchain.sh; ${script}`],
    {
      cwd: clone,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 540_000,
    },
  );
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "minos-fresh-"));
  clone = join(work, "minos");
  mkdirSync(join(work, "home"));
  execFileSync("git", ["clone", "--quiet", "--no-hardlinks", ROOT, clone]);
  const store = execFileSync("pnpm", ["store", "path"], { cwd: ROOT, encoding: "utf8" }).trim();
  env = { HOME: join(work, "home"), PATH: "/usr/bin:/bin", npm_config_store_dir: store };
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("from a fresh clone in a bare environment", () => {
  it("sourcing scripts/toolchain.sh gives the engines' Node and the pinned pnpm", async () => {
    // What the bare environment has before: no pnpm, and not the Node asked for (on CI).
    const before = await promisify(execFile)("bash", ["-c", "command -v pnpm || true"], { env });
    expect(before.stdout.trim()).toBe("");
    const { stdout } = await bare(
      'echo "$(command -v node) $(node -p process.versions.node) $(pnpm --version)"',
    );
    const [node, version, pnpm] = stdout.trim().split(" ") as [string, string, string];
    expect(Number(version.split(".")[0])).toBeGreaterThanOrEqual(WANT_NODE);
    expect(pnpm).toBe(WANT_PNPM);
    // Nothing landed outside the home and the clone.
    expect(node.startsWith(work) || node === "/usr/bin/node").toBe(true);
  }, 300_000);

  it("pnpm install builds what every example imports, and minos plan runs each", async () => {
    await bare("pnpm install --frozen-lockfile --reporter=silent");
    for (const example of EXAMPLES) {
      const args = [`examples/${example}`, "--json", ...(REQUIRED[example] ?? [])].join(" ");
      const { stdout } = await bare(`pnpm -s minos plan ${args}`);
      const plan = JSON.parse(stdout) as { resources: unknown[] };
      expect(plan.resources.length, example).toBeGreaterThan(10);
    }
  }, 600_000);
});
