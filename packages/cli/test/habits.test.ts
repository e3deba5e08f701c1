import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PLAN_HELP, RENDER_HELP } from "../src/index.js";

// The built command, run as a user runs it: what it prints where, and its exit code.
const MINOS = fileURLToPath(new URL("../bin/minos.js", import.meta.url));
const VERSION = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;
const tmp = () => mkdtempSync(join(tmpdir(), "minos-habits-"));

/** stdout, stderr and exit code of `minos <args>`, never throwing. */
function minos(args: string[], nodeOptions = "") {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      [...(nodeOptions ? nodeOptions.split(" ") : []), MINOS, ...args],
      { encoding: "utf8" },
      (error, stdout, stderr) =>
        done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

describe("the minos command's habits", () => {
  it.each([["--version"], ["-V"]])("%s prints the package's version, exit 0", async (flag) => {
    expect(await minos([flag])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it("--help and help print the commands to stdout, exit 0; bare minos to stderr, exit 2", async () => {
    const help = await minos(["--help"]);
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toMatch(/^ {2}render +print the first-boot payload a node receives$/m);
    expect(help.stdout).toMatch(/^ {2}plan +list what a Pulumi program would create/m);
    expect(help.stdout).toContain("-V, --version");
    expect(await minos(["help"])).toEqual(help);
    expect(await minos([])).toEqual({ code: 2, stdout: "", stderr: help.stdout });
  });

  it.each([
    ["render", RENDER_HELP],
    ["plan", PLAN_HELP],
  ])("help %s prints that command's help, as the command's --help does", async (command, text) => {
    expect(await minos(["help", command])).toEqual({ code: 0, stdout: text, stderr: "" });
    expect(await minos([command, "--help"])).toEqual({ code: 0, stdout: text, stderr: "" });
  });

  it("help of no such command, or no such command: one line and the commands on stderr, exit 2", async () => {
    const help = (await minos(["--help"])).stdout;
    expect(await minos(["help", "deploy"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `minos: no such command "deploy"\n\n${help}`,
    });
    expect(await minos(["deploy"])).toEqual({
      code: 2,
      stdout: "",
      stderr: `minos: unknown command "deploy"\n\n${help}`,
    });
  });

  it.each([
    [["render"], "minos: name an <os>: flatcar, fcos, bottlerocket, talos", RENDER_HELP],
    [
      ["render", "--role", "worker"],
      "minos: name an <os>: flatcar, fcos, bottlerocket, talos",
      RENDER_HELP,
    ],
    [["plan"], "minos: name the program's folder (the one with its Pulumi.yaml)", PLAN_HELP],
  ])(
    "minos %j, missing its arguments: what is missing and the command's usage on stderr, exit 2",
    async (args, line, usage) => {
      expect(await minos(args)).toEqual({ code: 2, stdout: "", stderr: `${line}\n\n${usage}` });
    },
  );

  it("an unexpected crash: one line, the trace in a file under the temporary folder, exit 1", async () => {
    // Makes writing the payload fail as no known error does.
    const dir = tmp();
    const preload = join(dir, "crash.cjs");
    writeFileSync(
      preload,
      `const fs = require("node:fs"); const write = fs.writeFileSync;
fs.writeFileSync = (file, ...rest) => { if (String(file).endsWith(".crash-me")) throw new Error("the disk is on fire\\nsecond line"); return write(file, ...rest); };\n`,
    );
    const out = join(dir, "node.crash-me");
    const { code, stdout, stderr } = await minos(
      ["render", "flatcar", "--role", "worker", "--platform", "kvm", "--out", out],
      `--require ${preload}`,
    );
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    const lines = stderr.split("\n");
    expect(lines[0]).toBe("minos: the disk is on fire");
    const trace = /^minos: this is a bug in minos; the full trace is in (\S+)$/.exec(
      lines[1] ?? "",
    )?.[1];
    expect(lines.slice(2)).toEqual([""]);
    expect(trace?.startsWith(join(tmpdir(), "minos-crash-"))).toBe(true);
    const text = readFileSync(trace as string, "utf8");
    expect(text).toContain(`minos ${VERSION} on Node ${process.version}`);
    expect(text).toContain(`minos render flatcar --role worker --platform kvm --out ${out}`);
    expect(text).toMatch(/Error: the disk is on fire\nsecond line\n\s+at /);
  });

  it("known errors stay one line, exit 2", async () => {
    expect(await minos(["render", "flatcar", "--role", "boss", "--platform", "kvm"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'minos: invalid --role: "boss"; use control-plane, control-plane-join, worker\n',
    });
  });

  it.each([
    ["aws", ["flatcar", "--role", "worker", "--platform", "aws"], "--platform aws"],
    ["gcp", ["fcos", "--role", "worker", "--platform", "gcp"], "--platform gcp"],
    ["kvm", ["talos", "--role", "worker", "--platform", "kvm"], "--platform kvm"],
    [
      "bottlerocket",
      ["bottlerocket", "--role", "worker", "--platform", "aws"],
      "minos render bottlerocket",
    ],
  ])(
    "without @minos/%s installed, render names the package to add, exit 2",
    async (pkg, args, needed) => {
      // Resolves @minos/<pkg> as Node does when it is not installed.
      const dir = tmp();
      const hooks = join(dir, "hooks.mjs");
      writeFileSync(
        hooks,
        `export async function resolve(specifier, context, next) {
  if (specifier === "@minos/${pkg}" || specifier.startsWith("@minos/${pkg}/"))
    throw Object.assign(new Error("Cannot find package '@minos/${pkg}' imported from " + context.parentURL), { code: "ERR_MODULE_NOT_FOUND" });
  return next(specifier, context);
}\n`,
      );
      const preload = join(dir, "register.mjs");
      writeFileSync(
        preload,
        `import { register } from "node:module";\nregister(${JSON.stringify(`file://${hooks}`)});\n`,
      );
      const pkgName = `@minos/${pkg}`;
      expect(await minos(["render", ...args], `--import ${preload}`)).toEqual({
        code: 2,
        stdout: "",
        stderr: `minos: ${needed} needs ${pkgName}, an optional peer dependency of @minos/cli: install it beside @minos/cli (npm install --save-dev ${pkgName}, or pnpm add -D ${pkgName})\n`,
      });
      // The same command renders where the package is installed.
      expect((await minos(["render", ...args])).code).toBe(0);
    },
  );
});
