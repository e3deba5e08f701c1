import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { outsideEnv } from "./outside-env.js";

/**
 * Registers ts-node as @pulumi/pulumi's program runner does for a
 * TypeScript program (cmd/run/run.js: the tsconfig's compilerOptions over
 * its defaults, `nodenext` from TypeScript 4.7, `commonjs` before), then
 * compiles, type-checking, every .ts file of the folder; prints the
 * compiler's version, or ts-node's TSError.
 */
const COMPILE = `
  const [tsNode, compiler] = process.argv.slice(1);
  const fs = require("node:fs");
  const path = require("node:path");
  const ts = require(compiler);
  const text = fs.readFileSync("tsconfig.json", "utf8");
  const fromFile = ts.parseConfigFileTextToJson("tsconfig.json", text).config.compilerOptions || {};
  const [major, minor] = ts.version.split(".").map(Number);
  const nodeNext = major > 4 || (major === 4 && minor >= 7);
  try {
    const service = require(tsNode).register({
      compiler,
      // No cache: a cached file skips the type-check, whatever its imports became.
      cache: false,
      project: "tsconfig.json",
      skipProject: false,
      compilerOptions: {
        target: "ES2020",
        module: nodeNext ? "nodenext" : "commonjs",
        moduleResolution: nodeNext ? "nodenext" : "node",
        sourceMap: "true",
        ...fromFile,
      },
    });
    for (const file of fs.readdirSync(".").filter((f) => f.endsWith(".ts")).sort())
      service.compile(fs.readFileSync(file, "utf8"), path.resolve(file));
    console.log(ts.version);
  } catch (error) {
    console.log(String(error.message || error));
  }
`;

/**
 * What ts-node at `tsNode` with the TypeScript at `compiler` answers for the
 * Pulumi program in `dir`, registered and run as `pulumi up` does: the
 * compiler's version when it accepts the tsconfig and every file type-checks,
 * else its error (`TS6046`, `TS5023`, type errors), with file and code.
 */
export async function compileAsPulumi(
  dir: string,
  tools: { tsNode: string; compiler: string },
): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["-e", COMPILE, tools.tsNode, tools.compiler],
    { cwd: dir, encoding: "utf8", env: outsideEnv(), maxBuffer: 16 * 2 ** 20 },
  );
  return stdout.trim();
}
