import { FlatcarCluster } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import type { NetworkInputs } from "@minos/libvirt";
import { beforeAll, describe, expect, it } from "vitest";
import type { EveryOsRun } from "./support/every-os.js";
import { everyOs } from "./support/every-os.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { installMocks, plain, resolved } from "./support/pulumi-mocks.js";

const OSES = ["flatcar", "fcos", "talos"] as const;
const NETWORK = "pulumi-nodejs:dynamic/minos-libvirt:Network";

/** MetalLB's objects a cluster registered. */
const metallbOf = (registered: RegisteredResource[], cluster: string) =>
  registered.filter(
    (r) => r.type.startsWith("kubernetes:") && r.name.startsWith(`${cluster}-metallb`),
  );
const networkOf = (registered: RegisteredResource[], cluster: string) =>
  plain<NetworkInputs>(
    registered.find((r) => r.type === NETWORK && r.name === `${cluster}-net`)?.inputs,
  );

describe("load balancers on KVM: MetalLB in layer 2 mode on a reserved block", () => {
  let run: EveryOsRun;
  beforeAll(async () => {
    run = await everyOs("kvm", { stack: "kvm-load-balancers" });
  });

  it.each(OSES.map((os, i) => [os, i] as const))(
    "gives a %s cluster MetalLB and a pool of its network's reserved block",
    (os, i) => {
      const objects = metallbOf(run.registered, os);
      expect(objects.map((r) => r.type.replace(/^kubernetes:/, "")).sort()).toEqual([
        "core/v1:Namespace",
        "helm.sh/v3:Release",
        "metallb.io/v1beta1:IPAddressPool",
        "metallb.io/v1beta1:L2Advertisement",
      ]);
      // every-os puts the clusters on 10.81, 10.82 and 10.83.
      const block = `10.8${i + 1}.0.120-10.8${i + 1}.0.127`;
      const pool = objects.find((r) => r.type.endsWith(":IPAddressPool"));
      expect(plain(pool?.inputs)).toMatchObject({ spec: { addresses: [block] } });
      const network = networkOf(run.registered, os);
      expect(network.ranges).toEqual([
        { name: `${os}-load-balancers`, first: `10.8${i + 1}.0.120`, last: `10.8${i + 1}.0.127` },
      ]);
      // DHCP leases from the upper half; no node's reservation is in the block.
      for (const host of network.hosts) expect(Number(host.ip.split(".")[3])).toBeLessThan(120);
    },
  );

  it("goes in through the cluster's provider, its pool and advertisement after the release", () => {
    for (const os of OSES) {
      const node = (name: string) => run.graph.find((n) => n.name === name && n.custom);
      const namespace = run.graph.find(
        (n) => n.name === `${os}-metallb` && n.type === "kubernetes:core/v1:Namespace",
      );
      const releaseNode = run.graph.find(
        (n) => n.name === `${os}-metallb` && n.type === "kubernetes:helm.sh/v3:Release",
      );
      expect(releaseNode?.provider).toContain(`${os}-k8s-bootstrap`);
      expect(releaseNode?.dependencies).toContain(namespace?.urn);
      for (const name of [`${os}-metallb-pool`, `${os}-metallb-l2`]) {
        expect(node(name)?.provider).toContain(`${os}-k8s-bootstrap`);
        expect(node(name)?.dependencies).toContain(releaseNode?.urn);
      }
    }
  });

  it("is among the cluster's add-ons, which its nodes-ready gate waits for", async () => {
    for (const [i, os] of OSES.entries()) {
      const addons = (run.clusters[i]?.addons ?? []) as unknown as { urn: unknown }[];
      const urns = await Promise.all(
        addons.map((a) => resolved(a.urn as Parameters<typeof resolved>[0])),
      );
      expect(urns.filter((u) => String(u).includes(`::${os}-metallb`))).toHaveLength(4);
    }
  });
});

describe("platformServices: { loadBalancers: false } on KVM", () => {
  it("installs no MetalLB and reserves no block", async () => {
    const registered = installMocks({ stack: "no-load-balancers" });
    const cluster = new FlatcarCluster("nolb", {
      platform: kvm({ cidr: "10.85.0.0/24", loadBalancerAddresses: 4 }),
      platformServices: { loadBalancers: false },
      nodePools: { general: { count: 1 } },
    });
    await resolved(cluster.nodeConfigs);
    await new Promise((r) => setTimeout(r, 300));
    expect(metallbOf(registered, "nolb")).toEqual([]);
    expect(registered.filter((r) => r.type.includes("metallb"))).toEqual([]);
    expect(networkOf(registered, "nolb").ranges).toBeUndefined();
    // Volumes and the CNI are still there.
    expect(registered.some((r) => r.name === "nolb-local-path")).toBe(true);
    expect(registered.some((r) => r.name === "nolb-flannel")).toBe(true);
  });
});

describe("loadBalancerAddresses on KVM", () => {
  it("reserves the block the user gave, and hands it to MetalLB", async () => {
    const registered = installMocks({ stack: "given-block" });
    const cluster = new FlatcarCluster("given", {
      platform: kvm({ cidr: "10.86.0.0/24", loadBalancerAddresses: "10.86.0.40-10.86.0.59" }),
      nodePools: { general: { count: 1 } },
    });
    await resolved(cluster.nodeConfigs);
    await new Promise((r) => setTimeout(r, 300));
    expect(networkOf(registered, "given").ranges).toEqual([
      { name: "given-load-balancers", first: "10.86.0.40", last: "10.86.0.59" },
    ]);
    const pool = registered.find((r) => r.type === "kubernetes:metallb.io/v1beta1:IPAddressPool");
    expect(plain(pool?.inputs)).toMatchObject({ spec: { addresses: ["10.86.0.40-10.86.0.59"] } });
  });
});
