import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { floor, packageManifests, supportedPulumiRanges } from "../support/manifests.js";
import { outsideEnv } from "../support/outside-env.js";

const run = promisify(execFile);
const WORKSPACE = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixture/", import.meta.url));

/** How the consumer installs: npm's hoisted tree, or pnpm's strict isolated one. */
export type Layout = "npm" | "pnpm";

/** The packages a program lists: what it imports, never @minos/libvirt. */
export const LISTED = [
  "@minos/aws",
  "@minos/bottlerocket",
  "@minos/cli",
  "@minos/core",
  "@minos/fcos",
  "@minos/flatcar",
  "@minos/gcp",
  "@minos/kvm",
  "@minos/talos",
  "@minos/workload",
];

/** The compiler options the consumer's program is checked with, by moduleResolution. */
export const RESOLUTIONS = {
  node: { module: "commonjs", moduleResolution: "node", outDir: "out" },
  nodenext: { module: "nodenext", moduleResolution: "nodenext", noEmit: true },
} as const;

/** Runs a command as a user outside the workspace would, with its output in the error when it fails. */
export async function sh(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(cmd, args, {
      cwd,
      encoding: "utf8",
      maxBuffer: 64 * 2 ** 20,
      env: outsideEnv(),
    });
    return stdout;
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}\n${stderr ?? ""}`);
  }
}

/**
 * Packs every package as it would be published (`pnpm pack`, which runs
 * each prepack) into `dir`; returns each package's tarball by name.
 */
export async function packAll(dir: string): Promise<Record<string, string>> {
  const tarballs: Record<string, string> = {};
  // One at a time: each prepack builds with `tsc -b`, which shares outputs.
  for (const [folder, m] of packageManifests) {
    await sh("pnpm", ["pack", "--pack-destination", dir], join(WORKSPACE, "packages", folder));
    const file = join(dir, `${m.name.replace("@", "").replace("/", "-")}-${m.version}.tgz`);
    if (!existsSync(file)) throw new Error(`pnpm pack made no ${file}`);
    tarballs[m.name] = file;
  }
  return tarballs;
}

/** A version the workspace has installed, so the consumer gets the same compiler and types. */
function workspaceVersion(pkg: string): string {
  return JSON.parse(readFileSync(join(WORKSPACE, "node_modules", pkg, "package.json"), "utf8"))
    .version;
}

/** Each package's README example, as a file of the consumer's program. */
function readmeExamples(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [folder] of packageManifests) {
    const readme = readFileSync(join(WORKSPACE, "packages", folder, "README.md"), "utf8");
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    if (example) files[`readme-${folder}.ts`] = example;
  }
  return files;
}

/**
 * A Pulumi project in `dir` (outside the workspace) that installs the
 * tarballs with the lowest supported Pulumi SDKs, the way a company
 * repository would: the program lists what it imports, and the tarballs
 * stand in for the registry wherever a minos package depends on another.
 * The npm project also installs tsx, for `minos plan`, and checks each
 * package README's example; the pnpm one does neither.
 */
export async function installConsumer(
  dir: string,
  layout: Layout,
  tarballs: Record<string, string>,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const file of ["index.ts", "run.ts", "Pulumi.yaml"])
    copyFileSync(join(FIXTURE, file), join(dir, file));
  // Under npm only: @minos/libvirt's example imports a package the program does not list.
  const examples = layout === "npm" ? readmeExamples() : {};
  for (const [file, text] of Object.entries(examples)) writeFileSync(join(dir, file), text);

  const local = Object.fromEntries(Object.entries(tarballs).map(([n, f]) => [n, `file:${f}`]));
  const pulumi = Object.fromEntries(
    Object.entries(supportedPulumiRanges()).map(([sdk, range]) => [sdk, floor(range)]),
  );
  const manifest = {
    name: "minos-consumer",
    private: true,
    dependencies: {
      ...Object.fromEntries(LISTED.map((name) => [name, local[name]])),
      ...pulumi,
      typescript: workspaceVersion("typescript"),
      "@types/node": workspaceVersion("@types/node"),
      ...(layout === "npm" && { tsx: workspaceVersion("tsx") }),
    },
    // Every @minos package, libvirt included, comes from its tarball.
    ...(layout === "npm" ? { overrides: local } : { pnpm: { overrides: local } }),
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);

  for (const [resolution, options] of Object.entries(RESOLUTIONS))
    writeFileSync(
      join(dir, `tsconfig.${resolution}.json`),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2023"],
          types: ["node"],
          strict: true,
          noUncheckedIndexedAccess: true,
          // minos' declarations are checked too, against the installed SDKs.
          skipLibCheck: false,
          ...options,
        },
        files: ["index.ts", "run.ts", ...Object.keys(examples)],
      }),
    );

  // minos' own sources against the lowest SDKs: what makes those ranges true.
  writeFileSync(
    join(dir, "tsconfig.sources.json"),
    JSON.stringify({
      extends: "./tsconfig.workspace.json",
      compilerOptions: {
        noEmit: true,
        declaration: false,
        declarationMap: false,
        sourceMap: false,
      },
      include: ["node_modules/@minos/*/src/**/*.ts"],
    }),
  );
  copyFileSync(join(WORKSPACE, "tsconfig.base.json"), join(dir, "tsconfig.workspace.json"));

  const offline = ["--prefer-offline", "--ignore-scripts"];
  if (layout === "npm") await sh("npm", ["install", "--no-audit", "--no-fund", ...offline], dir);
  else await sh("pnpm", ["install", "--config.node-linker=isolated", ...offline], dir);
}
