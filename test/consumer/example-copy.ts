import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sh } from "./project.js";

const WORKSPACE = fileURLToPath(new URL("../../", import.meta.url));

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
 * a user adds a tool (`npm install --save-dev @minos/cli`).
 */
export async function copyExample(
  name: string,
  dir: string,
  tarballs: Record<string, string>,
  add: string[] = [],
): Promise<CopiedExample> {
  cpSync(join(WORKSPACE, "examples", name), dir, {
    recursive: true,
    filter: (src) => !src.includes("node_modules"),
  });
  const file = join(dir, "package.json");
  const manifest = JSON.parse(readFileSync(file, "utf8"));
  const dependencies = { ...manifest.dependencies } as Record<string, string>;
  const tsconfig = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8"));
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
