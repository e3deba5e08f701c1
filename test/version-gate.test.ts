/**
 * Where each cluster's Kubernetes version gate sits in the graph `pulumi up`
 * runs, on every platform and OS: every worker machine (the cluster's pools,
 * and a node group joining it in the same program) waits for it, so pools
 * take a new release only once the control plane runs it; nothing the
 * control plane needs, or moves itself with (Talos's etcd bootstrap, release
 * upgrade and config apply), nor the readiness gates and add-ons, waits for
 * it, so the control plane's own move can never wait on the gate that waits
 * for it; and the gate itself waits for no machine, so a new cluster's
 * machines start at once.
 */
import { type Cluster, type MinosPlatform, NodeGroup } from "@minos/core";
import { FlatcarCluster, flatcarOs } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { closure, dependenciesOf } from "./support/dependency-graph.js";
import { type EveryOsRun, everyOs } from "./support/every-os.js";
import { type GraphNode, installMocks, mockOutputs, resolved } from "./support/pulumi-mocks.js";

const GATE = "pulumi-nodejs:dynamic/minos:KubernetesVersionGate";

/** What must never wait for the gate: it carries, moves or checks the control plane. */
const NEVER_AFTER_GATE = [
  "pulumi-nodejs:dynamic/minos:ApiReadiness",
  "pulumi-nodejs:dynamic/minos-talos:EtcdBootstrap",
  "pulumi-nodejs:dynamic/minos-talos:TalosUpgrade",
  "pulumi-nodejs:dynamic/minos-talos:TalosConfigApply",
];

const urnsOf = (resources: pulumi.Resource[]) => Promise.all(resources.map((r) => resolved(r.urn)));

describe.each<MinosPlatform>(["aws", "gcp", "kvm"])("the version gate on %s", (platform) => {
  let run: EveryOsRun;
  let deps: Map<string, string[]>;
  let byUrn: Map<string, GraphNode>;
  const gateOf = (cluster: Cluster) =>
    run.graph.find((n) => n.type === GATE && n.name === `${cluster.name}-kubernetes-version`);
  beforeAll(async () => {
    run = await everyOs(platform, { stack: `gate-${platform}` });
    deps = dependenciesOf(run.graph);
    byUrn = new Map(run.graph.map((n) => [n.urn, n]));
  });

  it("is one per cluster, asking for the cluster's release, with the OS's way to move the control plane", () => {
    const gates = run.registered.filter((r) => r.type === GATE);
    expect(gates.map((g) => g.name).sort()).toEqual(
      run.clusters.map((c) => `${c.name}-kubernetes-version`).sort(),
    );
    for (const cluster of run.clusters) {
      const gate = gates.find((g) => g.name === `${cluster.name}-kubernetes-version`);
      expect(gate?.inputs).toMatchObject({
        version: cluster.kubernetesVersion,
        timeoutSeconds: 1200,
        intervalSeconds: 10,
      });
      expect(gate?.inputs.upgradeHint).toMatch(
        /TalosConfigApply|kubeadm upgrade apply v\d+\.\d+\.\d+" on the first/,
      );
    }
  });

  it("holds back every worker machine, and nothing of the control plane", async () => {
    for (const cluster of run.clusters) {
      const gate = gateOf(cluster)?.urn as string;
      expect(gate, cluster.name).toBeDefined();
      const workers = Object.entries(cluster.machines).filter(([k]) => k.startsWith("worker/"));
      expect(workers.length, cluster.name).toBeGreaterThan(0);
      for (const [key, machines] of workers)
        for (const urn of await urnsOf(machines.resources))
          expect(closure(deps, urn).has(gate), `${cluster.name} ${key} ${urn}`).toBe(true);
      for (const key of ["control-plane", "control-plane-join"])
        for (const urn of await urnsOf(cluster.machines[key]?.resources ?? []))
          expect(closure(deps, urn).has(gate), `${cluster.name} ${key} ${urn}`).toBe(false);
    }
  });

  it("is waited for by no readiness gate, add-on or OS step: the control plane's move never waits for it", () => {
    const gates = new Set(run.graph.filter((n) => n.type === GATE).map((n) => n.urn));
    const never = run.graph.filter(
      (n) => NEVER_AFTER_GATE.includes(n.type) || n.type.startsWith("kubernetes:"),
    );
    expect(never.some((n) => n.type.includes("TalosConfigApply"))).toBe(true);
    for (const n of never)
      expect(
        [...closure(deps, n.urn)].filter((u) => gates.has(u)),
        `${n.type} ${n.name}`,
      ).toEqual([]);
  });

  it("waits for no machine, readiness gate or OS step itself: a new cluster's machines start at once", () => {
    for (const gate of run.graph.filter((n) => n.type === GATE)) {
      const before = [...closure(deps, gate.urn)].map((u) => byUrn.get(u)?.type ?? "");
      expect(before.filter((t) => NEVER_AFTER_GATE.includes(t))).toEqual([]);
      expect(
        before.filter((t) =>
          /ec2\/instance|autoscaling|compute\/instance|launchTemplate|minos-libvirt:Domain/.test(t),
        ),
      ).toEqual([]);
    }
  });

  it.runIf(platform === "aws")(
    "holds back a node group joining the cluster in the same program",
    async () => {
      const group = run.components.find(
        (c) => c.type === "minos:bottlerocket:BottlerocketNodeGroup",
      )?.resource as NodeGroup | undefined;
      expect(group).toBeDefined();
      const flatcar = run.clusters.find((c) => c.constructor.name === "FlatcarCluster") as Cluster;
      const gate = gateOf(flatcar)?.urn as string;
      const resources = Object.values(group?.machines ?? {}).flatMap((m) => m.resources);
      expect(resources.length).toBeGreaterThan(0);
      for (const urn of await urnsOf(resources)) expect(closure(deps, urn).has(gate)).toBe(true);
    },
  );
});

describe("a cluster's join information", () => {
  it("names the release its gate records, which a node group in the same program renders", async () => {
    installMocks({ stack: "gate-join" });
    // The gate as state holds it between changes: the control plane recorded at 1.37.0.
    mockOutputs(GATE, () => ({ version: "1.37.0" }));
    try {
      const cluster = new FlatcarCluster("gj", {
        platform: kvm({ cidr: "10.84.0.0/24" }),
        kubernetesVersion: "1.37.1",
        nodePools: { general: { count: 1 } },
      });
      const group = new NodeGroup("minos:test:NodeGroup", "gjng", flatcarOs(), {
        cluster,
        nodePools: { extra: { count: 1 } },
      });
      expect((await resolved(cluster.join)).kubernetesVersion).toBe("1.37.0");
      const payload = (await resolved(group.nodeConfigs))["worker/extra"] ?? "";
      expect(payload).toContain("kubernetes-v1.37.0-x86-64.raw");
      expect(payload).not.toContain("kubernetes-v1.37.1");
    } finally {
      mockOutputs(GATE, () => ({}));
    }
  });
});
