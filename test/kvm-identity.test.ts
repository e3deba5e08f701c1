import { createHash } from "node:crypto";
import { FlatcarCluster } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import { configDiskProvider, diskProvider, domainProvider } from "@minos/libvirt";
import { TalosCluster } from "@minos/talos";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { EngineRecording, RegisteredResource } from "./support/pulumi-mocks.js";
import {
  installMocks,
  mockOutputs,
  mockStackHash,
  plain,
  recordEngine,
  resolved,
} from "./support/pulumi-mocks.js";

const T = (kind: string) => `pulumi-nodejs:dynamic/minos-libvirt:${kind}`;
const PROVIDERS: Record<string, Pick<Required<pulumi.dynamic.ResourceProvider>, "diff">> = {
  [T("Domain")]: domainProvider,
  [T("Disk")]: diskProvider,
  [T("ConfigDisk")]: configDiskProvider,
};

/** One run of a program in a stack of its own: what it registered, and with which ignoreChanges. */
async function run(stack: string, program: () => { nodeConfigs: pulumi.Output<unknown> }) {
  const registered: RegisteredResource[] = installMocks({ stack });
  const engine: EngineRecording = recordEngine();
  // A base image's path depends on what it is, as in a real pool.
  mockOutputs(T("BaseImage"), (inputs) => ({
    path: `/pool/${createHash("sha256").update(String(inputs.url)).digest("hex").slice(0, 12)}`,
  }));
  await resolved(program().nodeConfigs);
  await new Promise((r) => setTimeout(r, 200));
  return { registered, engine };
}

/**
 * What `pulumi up` would do to each control-plane object when the second run
 * follows the first: the engine keeps old values for ignored properties,
 * then asks the provider's diff. The stack is the only difference in
 * names, so names are compared as the first stack's.
 */
async function replacements(
  cluster: string,
  before: Awaited<ReturnType<typeof run>>,
  after: Awaited<ReturnType<typeof run>>,
  stacks: [string, string],
) {
  const [a, b] = stacks.map((s) => mockStackHash(cluster, "minos-test", s)) as [string, string];
  const asFirst = (value: unknown) => JSON.parse(JSON.stringify(plain(value)).replaceAll(b, a));
  const result: Record<string, { replaces: string[]; deleteBeforeReplace: boolean }> = {};
  for (const next of after.registered) {
    const provider = PROVIDERS[next.type];
    if (!provider || !next.name.startsWith(`${cluster}-`)) continue;
    const old = before.registered.find((r) => r.type === next.type && r.name === next.name);
    expect(old, next.name).toBeDefined();
    const olds = plain<Record<string, unknown>>(old?.inputs);
    const news = asFirst(next.inputs) as Record<string, unknown>;
    const ignored = after.engine.graph.find((n) => n.type === next.type && n.name === next.name);
    for (const key of ignored?.ignoreChanges ?? []) news[key] = olds[key];
    const diff = await provider.diff(next.name, olds, news);
    result[`${next.type.split(":").pop()} ${next.name}`] = {
      replaces: diff.replaces ?? [],
      deleteBeforeReplace: diff.deleteBeforeReplace ?? false,
    };
  }
  return result;
}

describe("a KVM control plane across a version change", () => {
  it("Talos: a new Talos and Kubernetes release replace no control-plane domain, disk or seed", async () => {
    const talos = (talosVersion: string, kubernetesVersion: string) => () =>
      new TalosCluster("ident", {
        platform: kvm({ cidr: "10.90.0.0/24" }),
        talosVersion,
        kubernetesVersion,
        controlPlane: { count: 3 },
      });
    const before = await run("v1", talos("1.13.8", "1.35.4"));
    const after = await run("v2", talos("1.13.9", "1.36.3"));
    // The image did change: the base is a new one.
    const base = (r: typeof before) =>
      plain<{ url: string }>(r.registered.find((x) => x.type === T("BaseImage"))?.inputs).url;
    expect(base(before)).not.toBe(base(after));
    const replaced = await replacements("ident", before, after, ["v1", "v2"]);
    const controlPlane = Object.entries(replaced).filter(([o]) => o.includes("control-plane"));
    expect(controlPlane).toHaveLength(9);
    for (const [object, diff] of controlPlane) expect(diff.replaces, object).toEqual([]);
  });

  it("Flatcar: a new Kubernetes release replaces no control-plane domain or disk, and rolls the workers new before old", async () => {
    const flatcar = (kubernetesVersion: string) => () =>
      new FlatcarCluster("identf", {
        platform: kvm({ cidr: "10.91.0.0/24" }),
        kubernetesVersion,
        controlPlane: { count: 3 },
        nodePools: { general: { count: 2 } },
        sysext: { hashes: {} },
      });
    const before = await run("v1", flatcar("1.36.5"));
    const after = await run("v2", flatcar("1.37.1"));
    const replaced = await replacements("identf", before, after, ["v1", "v2"]);
    const controlPlane = Object.entries(replaced).filter(([o]) => o.includes("control-plane"));
    expect(controlPlane).toHaveLength(6);
    for (const [object, diff] of controlPlane) expect(diff.replaces, object).toEqual([]);
    // Workers roll: a new domain and disk for each, made before the old one goes.
    const workers = Object.entries(replaced).filter(([o]) => o.includes("worker"));
    expect(workers.map(([o]) => o).sort()).toEqual([
      "Disk identf-worker-general-0",
      "Disk identf-worker-general-1",
      "Domain identf-worker-general-0",
      "Domain identf-worker-general-1",
    ]);
    for (const [object, diff] of workers)
      expect(diff, object).toMatchObject({
        replaces: expect.arrayContaining(["name"]),
        deleteBeforeReplace: false,
      });
  });
});
