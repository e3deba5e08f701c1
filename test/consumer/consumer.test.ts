import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostCall } from "../support/dynamic-host.js";
import { floor, packageManifests, supportedPulumiRanges } from "../support/manifests.js";
import { outsideEnv } from "../support/outside-env.js";
import { packageCopies } from "../support/package-copies.js";
import { haveRegistry } from "../support/registry.js";
import { haveTool } from "../support/system-tools.js";
import {
  parseProblems,
  VENDORED_TS_VERSION,
  vendoredTsNodePath,
  vendoredTypeScript,
  vendoredTypeScriptPath,
} from "../support/vendored-typescript.js";
import type { CopiedExample, PulumiUpRun } from "./example-copy.js";
import { copyExample, pulumiUp, typecheck } from "./example-copy.js";
import type { Layout } from "./project.js";
import { installConsumer, LISTED, packAll, RESOLUTIONS, sh } from "./project.js";

// The packages as a company repository installs them: packed, installed with
// npm and with pnpm in a project outside the workspace, with the lowest
// Pulumi SDKs minos supports. Only the npm registry is needed.
const READY = haveTool("pnpm", "pnpm") && haveRegistry();
const LAYOUTS: Layout[] = ["npm", "pnpm"];
const LICENSE = readFileSync(new URL("../../LICENSE", import.meta.url), "utf8");

/** The temporary folder everything goes in, outside the workspace. */
let ROOT = "";
/** Where each layout's project is; the last test moves them. */
const projects: Record<Layout, string> = { npm: "", pnpm: "" };
let tarballs: Record<string, string> = {};

/** One promise per key, so tests share a slow step and each still asserts on it. */
const once = new Map<string, Promise<string>>();
const memo = (key: string, step: () => Promise<string>) => {
  if (!once.has(key)) once.set(key, step());
  return once.get(key) as Promise<string>;
};
const tsc = (layout: Layout, config: string) =>
  memo(`${layout} ${config}`, () =>
    sh("node", ["node_modules/typescript/bin/tsc", "-p", config], projects[layout]),
  );

/** What fixture/run.ts wrote: the program under mocks. */
interface MockRun {
  types: Record<string, number>;
  dynamic: Record<string, { provider: string; inputs: Record<string, unknown> }>;
  kubeconfigs: Record<string, string>;
  bottlerocket?: Record<string, string>;
}
const mockRun = async (layout: Layout): Promise<MockRun> => {
  await tsc(layout, "tsconfig.node.json");
  const out = join(projects[layout], "result.json");
  await memo(`${layout} run`, () => sh("node", ["out/run.js", out], projects[layout]));
  return JSON.parse(readFileSync(out, "utf8"));
};

/** What Node resolves `id` to from `dir`, in a process of its own with a user's environment. */
function resolveIn(dir: string, id: string): string | undefined {
  const node = spawnSync(process.execPath, ["-p", `require.resolve(${JSON.stringify(id)})`], {
    cwd: dir,
    encoding: "utf8",
    env: outsideEnv(),
  });
  return node.status === 0 ? node.stdout.trim() : undefined;
}

/** The project's own @pulumi/pulumi folder, whose require-from-string Pulumi's host uses. */
const pulumiDir = (project: string) =>
  dirname(realpathSync(resolveIn(project, "@pulumi/pulumi/package.json") as string));

const DYNAMIC = {
  "pulumi-nodejs:dynamic/minos-libvirt:Network": "@minos/libvirt",
  "pulumi-nodejs:dynamic/minos-libvirt:BaseImage": "@minos/libvirt",
  "pulumi-nodejs:dynamic/minos-libvirt:Disk": "@minos/libvirt",
  "pulumi-nodejs:dynamic/minos-libvirt:ConfigDisk": "@minos/libvirt",
  "pulumi-nodejs:dynamic/minos-libvirt:Domain": "@minos/libvirt",
  "pulumi-nodejs:dynamic/minos-fcos:StreamImages": "@minos/fcos",
  "pulumi-nodejs:dynamic/minos-talos:EtcdBootstrap": "@minos/talos",
  "pulumi-nodejs:dynamic/minos-talos:TalosUpgrade": "@minos/talos",
  "pulumi-nodejs:dynamic/minos-talos:TalosConfigApply": "@minos/talos",
  "pulumi-nodejs:dynamic/minos-talos:TalosConfigHandover": "@minos/talos",
  // Serialized whole, requiring only @pulumi/pulumi: they load anywhere.
  "pulumi-nodejs:dynamic/minos:ApiReadiness": undefined,
  "pulumi-nodejs:dynamic/minos:KubernetesVersionGate": undefined,
} as const;

/** examples/kvm-flatcar copied out and installed once per way: as it is, or listing no typescript. */
const copies = new Map<string, Promise<CopiedExample>>();
const kvmFlatcar = (withoutTypeScript: boolean) => {
  const folder = withoutTypeScript ? "kvm-flatcar-without-typescript" : "kvm-flatcar";
  if (!copies.has(folder))
    copies.set(
      folder,
      // @minos/cli beside it, as a user adds the tool: its optional peers stay out.
      copyExample("kvm-flatcar", join(ROOT, folder), tarballs, {
        withoutTypeScript,
        add: ["@minos/cli"],
      }),
    );
  return copies.get(folder) as Promise<CopiedExample>;
};

/** The dynamic resources kvm-flatcar makes, each with a serialized provider. */
const KVM_FLATCAR_DYNAMIC = [
  "pulumi-nodejs:dynamic/minos-libvirt:Network",
  "pulumi-nodejs:dynamic/minos-libvirt:BaseImage",
  "pulumi-nodejs:dynamic/minos-libvirt:Disk",
  "pulumi-nodejs:dynamic/minos-libvirt:Domain",
  "pulumi-nodejs:dynamic/minos:ApiReadiness",
  "pulumi-nodejs:dynamic/minos:KubernetesVersionGate",
].sort();

/** What kvm-flatcar registered when `pulumi up`'s runner ran it: the cluster, its machines, every provider. */
function expectKvmFlatcarRan(run: PulumiUpRun) {
  expect(run.types["pulumi:pulumi:Stack"]).toBe(1);
  expect(run.types["minos:flatcar:FlatcarCluster"]).toBe(1);
  expect(run.types["pulumi-nodejs:dynamic/minos-libvirt:Domain"]).toBeGreaterThanOrEqual(2);
  expect(run.types["kubernetes:apps/v1:Deployment"]).toBeGreaterThanOrEqual(1);
  expect(Object.keys(run.dynamic).sort()).toEqual(KVM_FLATCAR_DYNAMIC);
}

/** Calls each dynamic provider's diff with its recorded inputs as both sides. */
async function diffs(run: Pick<MockRun, "dynamic">, cwd: string, pulumi: string) {
  const answers: Record<string, unknown> = {};
  for (const [type, { provider, inputs }] of Object.entries(run.dynamic)) {
    const answer = await hostCall(provider, {
      cwd,
      pulumiDir: pulumi,
      method: "diff",
      args: [`${type}-id`, inputs, inputs],
    });
    answers[type] = "error" in answer ? answer.error : (answer.result as { changes: unknown });
  }
  return answers;
}

describe.skipIf(!READY)("minos installed as published", () => {
  beforeAll(async () => {
    const started = Date.now();
    ROOT = mkdtempSync(join(tmpdir(), "minos-consumer-"));
    for (const layout of LAYOUTS) projects[layout] = join(ROOT, layout);
    tarballs = await packAll(join(ROOT, "tarballs"));
    await Promise.all(LAYOUTS.map((l) => installConsumer(projects[l], l, tarballs)));
    console.log(`consumer: packed and installed in ${Math.round((Date.now() - started) / 1000)} s`);
  }, 600_000);
  afterAll(() => {
    if (ROOT) rmSync(ROOT, { recursive: true, force: true });
  });

  it("packs each package with its README, the repository's LICENSE, and no workspace specifier", async () => {
    for (const [folder, m] of packageManifests) {
      const tarball = tarballs[m.name] as string;
      const files = (await sh("tar", ["tzf", tarball], ROOT)).split("\n");
      expect(files).toEqual(
        expect.arrayContaining(["package/README.md", "package/LICENSE", "package/dist/index.d.ts"]),
      );
      expect(files.filter((f) => /\.tsbuildinfo$|^package\/test\//.test(f))).toEqual([]);
      expect(await sh("tar", ["xzOf", tarball, "package/LICENSE"], ROOT)).toBe(LICENSE);
      const packed = JSON.parse(await sh("tar", ["xzOf", tarball, "package/package.json"], ROOT));
      expect(JSON.stringify(packed), folder).not.toContain("workspace:");
      for (const [dep, range] of Object.entries(packed.dependencies ?? {}))
        if (dep.startsWith("@minos/")) expect(range).toBe(m.version);
    }
  });

  it("installs examples/kvm-flatcar copied out of the repository by the names it lists, and @minos/cli beside them, with no cloud SDK, and it type-checks", async () => {
    const copy = await kvmFlatcar(false);
    // Registry names and ranges the packed versions satisfy; nothing from the workspace.
    for (const [dep, range] of Object.entries(copy.dependencies)) {
      expect(range, dep).toMatch(/^\^\d+\.\d+\.\d+$/);
      const packed = packageManifests.find(([, m]) => m.name === dep)?.[1];
      if (dep.startsWith("@minos/")) expect(range, dep).toBe(`^${packed?.version}`);
    }
    expect(JSON.stringify(copy.tsconfig)).not.toMatch(/extends|\.\.\//);
    await typecheck(copy.dir);
    // KVM only: neither cloud SDK is installed, so pulumi up would fetch neither plugin.
    // @minos/cli too: the platform packages and Bottlerocket are its optional peers.
    for (const sdk of [
      "@pulumi/aws",
      "@pulumi/gcp",
      "@minos/aws",
      "@minos/gcp",
      "@minos/bottlerocket",
    ])
      expect(packageCopies(copy.dir, sdk), sdk).toEqual([]);
    expect(packageCopies(copy.dir, "@pulumi/pulumi")).toHaveLength(1);
    const minos = join(copy.dir, "node_modules/@minos/cli/bin/minos.js");
    const render = ["render", "flatcar", "--role", "worker", "--platform"];
    expect(
      JSON.parse(await sh("node", [minos, ...render, "kvm"], copy.dir)).ignition.version,
    ).toMatch(/^3\.\d+\.0$/);
    await expect(
      promisify(execFile)("node", [minos, ...render, "aws"], { cwd: copy.dir, env: outsideEnv() }),
    ).rejects.toMatchObject({
      code: 2,
      stderr:
        "minos: --platform aws needs @minos/aws, an optional peer dependency of @minos/cli: install it beside @minos/cli (npm install --save-dev @minos/aws, or pnpm add -D @minos/aws)\n",
    });
  }, 300_000);

  it("runs that copy as pulumi up does: Pulumi's runner compiles it with the typescript it lists and its vendored ts-node 7, and serializes every provider", async () => {
    const copy = await kvmFlatcar(false);
    const run = await pulumiUp(copy.dir, "kvm-flatcar");
    const pulumi = pulumiDir(copy.dir);
    expect(run.typescript).toEqual([
      realpathSync(join(copy.dir, "node_modules/typescript/lib/typescript.js")),
    ]);
    expect(run.tsNode).toEqual([join(vendoredTsNodePath(pulumi), "index.js")]);
    expectKvmFlatcarRan(run);
  }, 300_000);

  it(`runs a copy that lists no typescript, so none resolves from @pulumi/pulumi, as pulumi up does: the vendored TypeScript ${VENDORED_TS_VERSION} and ts-node 7 compile it and serialize every provider, which loads and answers diff`, async () => {
    const copy = await kvmFlatcar(true);
    const pulumi = pulumiDir(copy.dir);
    expect(resolveIn(pulumi, "typescript")).toBeUndefined();
    const run = await pulumiUp(copy.dir, "kvm-flatcar");
    expect(run.typescript).toEqual([vendoredTypeScriptPath(pulumi)]);
    expect(run.tsNode).toEqual([join(vendoredTsNodePath(pulumi), "index.js")]);
    expectKvmFlatcarRan(run);
    const ts = vendoredTypeScript(pulumi);
    for (const [type, { provider }] of Object.entries(run.dynamic))
      expect(parseProblems(ts, type, provider), type).toEqual([]);
    const answers = await diffs(run, copy.dir, pulumi);
    for (const type of KVM_FLATCAR_DYNAMIC)
      expect(answers[type], type).toMatchObject({ changes: false });
  }, 300_000);

  it("type-checks minos' own sources against the lowest supported SDKs (npm)", async () => {
    await tsc("npm", "tsconfig.sources.json");
  }, 300_000);

  describe.each(LAYOUTS)("with %s", (layout) => {
    it("has one copy of @pulumi/pulumi, of each SDK at its lowest supported version, and of each minos package", () => {
      // Old releases of some SDKs wrote their version as `v4.1.1`.
      for (const [sdk, range] of Object.entries(supportedPulumiRanges()))
        expect(
          packageCopies(projects[layout], sdk).map((c) => c.version.replace(/^v/, "")),
        ).toEqual([floor(range)]);
      for (const [, m] of packageManifests)
        expect(packageCopies(projects[layout], m.name).map((c) => c.version)).toEqual([m.version]);
    });

    it.each(Object.keys(RESOLUTIONS))(
      "type-checks a strict program with every component (and under npm each README's example) under moduleResolution %s",
      async (resolution) => {
        await tsc(layout, `tsconfig.${resolution}.json`);
      },
      300_000,
    );

    it("runs the program under mocks: every OS on every platform, Bottlerocket on AWS and on EKS", async () => {
      const run = await mockRun(layout);
      for (const os of ["flatcar:FlatcarCluster", "fcos:FcosCluster", "talos:TalosCluster"])
        expect(run.types[`minos:${os}`]).toBe(3);
      expect(run.types["minos:bottlerocket:BottlerocketNodeGroup"]).toBe(2);
      expect(run.types["aws:eks/accessEntry:AccessEntry"]).toBe(1);
      expect(run.types["aws:ec2/instance:Instance"]).toBeGreaterThanOrEqual(3);
      expect(run.types["gcp:compute/instance:Instance"]).toBeGreaterThanOrEqual(3);
      expect(run.types["pulumi-nodejs:dynamic/minos-libvirt:Domain"]).toBeGreaterThanOrEqual(6);
      expect(Object.keys(run.kubeconfigs)).toHaveLength(9);
      for (const kubeconfig of Object.values(run.kubeconfigs))
        expect(kubeconfig).toMatch(/^apiVersion: v1\n[\s\S]*server: https:\/\/\S+:6443\n/);
      expect(Object.keys(run.bottlerocket ?? {})).toEqual(["worker/general", "worker/gpu"]);
    }, 300_000);

    it("loads every dynamic provider in the program's folder, as Pulumi's host does; diff answers", async () => {
      const run = await mockRun(layout);
      expect(Object.keys(run.dynamic).sort()).toEqual(Object.keys(DYNAMIC).sort());
      // npm hoists @minos/libvirt; pnpm hides it (the program does not list it): reached through @minos/kvm.
      expect(resolveIn(projects[layout], "@minos/libvirt") !== undefined).toBe(layout === "npm");
      expect(LISTED).not.toContain("@minos/libvirt");
      const answers = await diffs(run, projects[layout], pulumiDir(projects[layout]));
      for (const type of Object.keys(DYNAMIC))
        expect(answers[type], type).toMatchObject({ changes: false });
    }, 300_000);

    it("runs minos render, and minos plan with tsx installed (npm) or names tsx to install (pnpm)", async () => {
      const manifest = resolveIn(projects[layout], "@minos/cli/package.json") as string;
      const cli = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin.minos);
      const ignition = JSON.parse(
        await sh("node", [cli, "render", "flatcar", "--role", "worker", "--platform", "kvm"], ROOT),
      );
      expect(ignition.ignition.version).toMatch(/^3\.\d+\.0$/);
      const plan = promisify(execFile)("node", [cli, "plan", "."], {
        cwd: projects[layout],
        encoding: "utf8",
        maxBuffer: 64 * 2 ** 20,
        env: outsideEnv(),
      });
      if (layout === "npm") {
        const { stdout } = await plan;
        expect(stdout).toMatch(/^minos plan \. \(minos-consumer\): \d+ resources$/m);
        expect(stdout).toMatch(/^minos:talos:TalosCluster +talos-kvm /m);
      } else {
        await expect(plan).rejects.toMatchObject({
          code: 2,
          stderr: expect.stringContaining("tsx, an optional peer dependency of @minos/cli"),
        });
      }
    }, 300_000);

    // Last: it moves the project. State written here, read from another checkout.
    it("loads the providers from state written in another folder, and elsewhere names the package to add", async () => {
      const run = await mockRun(layout);
      const moved = `${projects[layout]}-elsewhere`;
      renameSync(projects[layout], moved);
      projects[layout] = moved;
      const pulumi = pulumiDir(moved);
      const there = await diffs(run, moved, pulumi);
      for (const type of Object.keys(DYNAMIC))
        expect(there[type], type).toMatchObject({ changes: false });

      const empty = join(ROOT, `${layout}-lists-nothing`);
      mkdirSync(empty);
      const nowhere = await diffs(run, empty, pulumi);
      for (const [type, pkg] of Object.entries(DYNAMIC)) {
        if (pkg === undefined) expect(nowhere[type], type).toMatchObject({ changes: false });
        else expect(nowhere[type], type).toContain(`npm install ${pkg}, or pnpm add ${pkg}`);
      }
    }, 300_000);
  });
});
