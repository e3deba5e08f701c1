/**
 * Where each cluster's Kubernetes version gate sits in the graph `pulumi up`
 * runs, on every platform and OS: every worker machine (the cluster's pools,
 * and a node group joining it in the same program) waits for it, so pools
 * take a new release only once the control plane runs it; nothing the
 * control plane needs, or moves itself with (Talos's etcd bootstrap, release
 * upgrade and config apply), nor the readiness gates and add-ons, waits for
 * it, so the control plane's own move can never wait on the gate that waits
 * for it; and the gate itself waits for no machine, so a new cluster's
 * machines start at once. Each gate is held while the program runs, as its
 * update holds while the control plane moves, to see what goes on without it.
 */
import type { Cluster, MinosPlatform } from "@minos/core";
import { NodeGroup } from "@minos/core";
import { FlatcarCluster, flatcarOs } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import type * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { closure, dependenciesOf } from "./support/dependency-graph.js";
import type { EveryOsRun } from "./support/every-os.js";
import { everyOs } from "./support/every-os.js";
import type { GraphNode } from "./support/pulumi-mocks.js";
import {
  holdResources,
  installMocks,
  mockOutputs,
  releaseHeld,
  resolved,
} from "./support/pulumi-mocks.js";

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
  /** What registered while every gate was held, as a gate's update holds while the control plane moves. */
  let whileHeld: Set<string>;
  const key = (n: { type: string; name: string }) => `${n.type}::${n.name}`;
  const gateOf = (cluster: Cluster) =>
    run.graph.find((n) => n.type === GATE && n.name === `${cluster.name}-kubernetes-version`);
  /** Whether a resource belongs to a cluster itself (not to a node group joining it). */
  const ofCluster = (n: GraphNode): boolean => {
    for (let p = byUrn.get(n.parent); p; p = byUrn.get(p.parent))
      if (p.type.endsWith("NodeGroup")) return false;
    return true;
  };
  beforeAll(async () => {
    holdResources(GATE);
    run = await everyOs(platform, { stack: `gate-${platform}` });
    whileHeld = new Set(run.registered.map(key));
    releaseHeld();
    for (let seen = -1; seen !== run.graph.length; ) {
      seen = run.graph.length;
      await new Promise((r) => setTimeout(r, 300));
    }
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
      for (const [group, machines] of workers)
        for (const urn of await urnsOf(machines.resources)) {
          const node = byUrn.get(urn) as GraphNode;
          expect(closure(deps, urn).has(gate), `${cluster.name} ${group} ${urn}`).toBe(true);
          expect(whileHeld.has(key(node)), `${node.name} made while the gate waited`).toBe(false);
        }
      for (const group of ["control-plane", "control-plane-join"])
        for (const urn of await urnsOf(cluster.machines[group]?.resources ?? [])) {
          const node = byUrn.get(urn) as GraphNode;
          expect(closure(deps, urn).has(gate), `${cluster.name} ${group} ${urn}`).toBe(false);
          expect(whileHeld.has(key(node)), `${node.name} waited for the gate`).toBe(true);
        }
    }
  });

  it("lets the control plane move while it waits: no readiness gate, OS step or add-on of a cluster waits for it", () => {
    const never = run.graph.filter(
      (n) =>
        ofCluster(n) && (NEVER_AFTER_GATE.includes(n.type) || n.type.startsWith("kubernetes:")),
    );
    expect(never.some((n) => n.type.includes("TalosConfigApply"))).toBe(true);
    expect(never.filter((n) => n.type.startsWith("kubernetes:")).length).toBeGreaterThan(20);
    expect(never.filter((n) => !whileHeld.has(key(n))).map(key)).toEqual([]);
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

  // Bottlerocket, the node group every-OS runs make, joins on AWS only.
  if (platform === "aws")
    it("holds back a node group joining the cluster in the same program", async () => {
      const group = run.components.find(
        (c) => c.type === "minos:bottlerocket:BottlerocketNodeGroup",
      )?.resource as NodeGroup | undefined;
      expect(group).toBeDefined();
      const flatcar = run.clusters.find((c) => c.constructor.name === "FlatcarCluster") as Cluster;
      const gate = gateOf(flatcar)?.urn as string;
      const resources = Object.values(group?.machines ?? {}).flatMap((m) => m.resources);
      expect(resources.length).toBeGreaterThan(0);
      for (const urn of await urnsOf(resources)) {
        expect(closure(deps, urn).has(gate)).toBe(true);
        expect(whileHeld.has(key(byUrn.get(urn) as GraphNode))).toBe(false);
      }
    });
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
