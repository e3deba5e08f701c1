import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../src/index.js";

// docs/cli.md is the command's reference: it cannot drift from what the command says.
const MINOS = fileURLToPath(new URL("../bin/minos.js", import.meta.url));
const DOC = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");
const EXAMPLES = fileURLToPath(new URL("../../../examples", import.meta.url));

/** Every option a help text lists: the `--name` at the start of each of its option lines. */
function optionsIn(help: string): string[] {
  return [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z][-a-z]*)/gm)].map((m) => m[1] as string);
}

/** An option as a whole word: `--out` is not found in `--outdir`. */
const named = (option: string) => new RegExp(`(?<![-\\w])${option}(?![-\\w])`);

/** The part of docs/cli.md under `## <title>`, up to the next `## ` heading. */
function section(title: string): string {
  const start = DOC.indexOf(`\n## ${title}\n`);
  if (start < 0) return "";
  const end = DOC.indexOf("\n## ", start + 1);
  return DOC.slice(start, end < 0 ? undefined : end);
}

describe("docs/cli.md", () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))(
    "has a section on minos %s naming every option its help prints, and its usage line",
    (name, command) => {
      const text = section(`minos ${name}`);
      expect(text, `## minos ${name}`).not.toBe("");
      const options = optionsIn(command.help);
      expect(options.length).toBeGreaterThan(1);
      for (const option of options) expect(text, option).toMatch(named(option));
      expect(text).toContain(command.help.split("\n")[0]);
    },
  );

  it("names the top-level options minos --help prints, before any command's section", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [MINOS, "--help"]);
    const top = DOC.slice(0, DOC.indexOf("\n## "));
    expect(optionsIn(stdout)).toEqual(["--help", "--version"]);
    for (const option of optionsIn(stdout)) expect(top).toMatch(named(option));
    expect(top).toContain(stdout.split("\n")[0]);
  });

  it("every example runs, exit 0", async () => {
    const blocks = [...DOC.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
      (m[1] as string).split("\n").filter(Boolean),
    );
    const examples = blocks.filter((line) => line.startsWith("minos "));
    expect(examples.length).toBeGreaterThan(5);
    const cwd = mkdtempSync(join(tmpdir(), "minos-docs-"));
    symlinkSync(EXAMPLES, join(cwd, "examples"));
    for (const line of blocks) {
      if (line.startsWith("mkdir -p "))
        mkdirSync(join(cwd, line.slice("mkdir -p ".length)), { recursive: true });
      if (!line.startsWith("minos ")) continue;
      const args = line.split(" ").slice(1);
      const run = await promisify(execFile)(process.execPath, [MINOS, ...args], {
        cwd,
        maxBuffer: 64 * 2 ** 20,
      }).catch((e: { code: number; stderr: string }) => e);
      expect("code" in run ? `exit ${run.code}: ${run.stderr}` : "exit 0", line).toBe("exit 0");
    }
    expect(readFileSync(join(cwd, ".minos/cp/etc/kubernetes/kubeadm.yaml"), "utf8")).toContain(
      "kind: InitConfiguration",
    );
  }, 180_000);
});
