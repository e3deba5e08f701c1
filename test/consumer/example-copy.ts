import { execFile } from "node:child_process";
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { outsideEnv } from "../support/outside-env.js";
import { sh } from "./project.js";

const WORKSPACE = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixture/", import.meta.url));

/** An example's manifest and compiler options as a copy of it sees them. */
export interface CopiedExample {
  dir: string;
  dependencies: Record<string, string>;
  tsconfig: Record<string, unknown>;
}

/**
 * Copies an example out of the repository as a user would (without its
 * node_modules), then installs it with npm: its minos dependencies by the
 * names and ranges it lists, with the packed tarballs standing in for the
 * registry (`npm install <tarball>` for the ones it lists, `overrides` for
 * the ones they depend on). `add` names packages to install beside them, as
 * a user adds a tool (`npm install --save-dev @minos/cli`). With
 * `withoutTypeScript`, the copy lists no `typescript` (as examples once did,
 * or a user who dropped it), so none resolves from `@pulumi/pulumi`, whose
 * peer dependency on it is optional.
 */
export async function copyExample(
  name: string,
  dir: string,
  tarballs: Record<string, string>,
  { add = [], withoutTypeScript = false }: { add?: string[]; withoutTypeScript?: boolean } = {},
): Promise<CopiedExample> {
  cpSync(join(WORKSPACE, "examples", name), dir, {
    recursive: true,
    filter: (src) => !src.includes("node_modules"),
  });
  const file = join(dir, "package.json");
  const manifest = JSON.parse(readFileSync(file, "utf8"));
  const dependencies = { ...manifest.dependencies } as Record<string, string>;
  const tsconfig = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8"));
  if (withoutTypeScript) delete manifest.devDependencies?.typescript;
  const listed = [...Object.keys(dependencies).filter((d) => d.startsWith("@minos/")), ...add];
  manifest.overrides = Object.fromEntries(
    Object.entries(tarballs)
      .filter(([pkg]) => !listed.includes(pkg))
      .map(([pkg, tarball]) => [pkg, `file:${tarball}`]),
  );
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  rmSync(join(dir, "package-lock.json"), { force: true });
  await sh(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--ignore-scripts",
      ...listed.map((pkg) => tarballs[pkg] as string),
    ],
    dir,
  );
  return { dir, dependencies, tsconfig };
}

/** Type-checks a copied example with the workspace's compiler, against what it installed. */
export const typecheck = (dir: string) =>
  sh("node", [join(WORKSPACE, "node_modules/typescript/bin/tsc"), "-p", ".", "--noEmit"], dir);

/** What fixture/mock-engine.cjs wrote: a program run as `pulumi up` runs it, under mocks. */
export interface PulumiUpRun {
  types: Record<string, number>;
  dynamic: Record<string, { provider: string; inputs: Record<string, unknown> }>;
  /** The typescript.js and ts-node files the process loaded. */
  typescript: string[];
  tsNode: string[];
}

/**
 * Runs the Pulumi program in `dir` as `pulumi up` has the Node language host
 * run it: `node <its @pulumi/pulumi>/cmd/run --monitor=… --project=… --stack=… .`
 * with PULUMI_NODEJS_TYPESCRIPT=true, so Pulumi's own runner registers ts-node
 * and compiles index.ts, with the engine replaced by mocks (preloaded), and
 * @minos/cli's cloud answers. Fails with Pulumi's output when the program does.
 */
export async function pulumiUp(dir: string, project: string): Promise<PulumiUpRun> {
  copyFileSync(join(FIXTURE, "mock-engine.cjs"), join(dir, "mock-engine.cjs"));
  const result = join(dir, "pulumi-up.json");
  const args = ["-r", "./mock-engine.cjs", "node_modules/@pulumi/pulumi/cmd/run"];
  args.push("--monitor=mock", `--project=${project}`, "--stack=dev", ".");
  try {
    await promisify(execFile)(process.execPath, args, {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 64 * 2 ** 20,
      env: {
        ...outsideEnv(),
        PULUMI_NODEJS_TYPESCRIPT: "true",
        MINOS_RESULT: result,
        MINOS_CLOUD_ANSWERS: join(WORKSPACE, "packages/cli/dist/plan/cloud-answers.js"),
      },
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`pulumi up's runner failed in ${dir}:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
  return JSON.parse(readFileSync(result, "utf8"));
}
