import type { MinosPlatform } from "@minos/core";
import { beforeAll, describe, expect, it } from "vitest";
import { closure, dependenciesOf } from "./support/dependency-graph.js";
import type { EveryOsRun } from "./support/every-os.js";
import { everyOs } from "./support/every-os.js";
import type { GraphNode } from "./support/pulumi-mocks.js";

/**
 * What carries API traffic on each platform, by resource type, named here
 * independently of the platforms' own lists: load balancing, the network's
 * routes and NAT (nodes reach the API's public address through it), every
 * firewall or security-group rule (etcd peers too), and every control-plane
 * node (etcd loses quorum without them).
 */
const API_PATH: Record<MinosPlatform, (node: GraphNode) => boolean> = {
  aws: (n) =>
    [
      "aws:lb/loadBalancer:LoadBalancer",
      "aws:lb/listener:Listener",
      "aws:lb/targetGroup:TargetGroup",
      "aws:lb/targetGroupAttachment:TargetGroupAttachment",
      "aws:ec2/vpc:Vpc",
      "aws:ec2/subnet:Subnet",
      "aws:ec2/internetGateway:InternetGateway",
      "aws:ec2/routeTable:RouteTable",
      "aws:ec2/routeTableAssociation:RouteTableAssociation",
      "aws:ec2/eip:Eip",
      "aws:ec2/natGateway:NatGateway",
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
      "aws:ec2/instance:Instance",
    ].includes(n.type),
  gcp: (n) =>
    [
      "gcp:compute/network:Network",
      "gcp:compute/subnetwork:Subnetwork",
      "gcp:compute/router:Router",
      "gcp:compute/routerNat:RouterNat",
      "gcp:compute/address:Address",
      "gcp:compute/firewall:Firewall",
      "gcp:compute/instanceGroup:InstanceGroup",
      "gcp:compute/instanceGroupMembership:InstanceGroupMembership",
      "gcp:compute/regionHealthCheck:RegionHealthCheck",
      "gcp:compute/regionBackendService:RegionBackendService",
      "gcp:compute/forwardingRule:ForwardingRule",
      "gcp:compute/instance:Instance",
    ].includes(n.type),
  kvm: (n) =>
    n.type === "pulumi-nodejs:dynamic/minos-libvirt:Network" ||
    (/minos-libvirt:(Domain|Disk|ConfigDisk)$/.test(n.type) && n.name.includes("-control-plane-")),
};

/** Types each platform must show on the path, so the check never passes on an empty set. */
const MUST_SEE: Record<MinosPlatform, string[]> = {
  aws: [
    "aws:lb/listener:Listener",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    "aws:ec2/natGateway:NatGateway",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  ],
  gcp: [
    "gcp:compute/forwardingRule:ForwardingRule",
    "gcp:compute/regionBackendService:RegionBackendService",
    "gcp:compute/instanceGroupMembership:InstanceGroupMembership",
    "gcp:compute/firewall:Firewall",
    "gcp:compute/routerNat:RouterNat",
  ],
  kvm: [
    "pulumi-nodejs:dynamic/minos-libvirt:Network",
    "pulumi-nodejs:dynamic/minos-libvirt:Domain",
  ],
};

/**
 * The objects that run what makes a platform's load balancers and volumes
 * (controllers, provisioners), one pattern per part, matched on type and name.
 */
const CONTROLLERS: Record<MinosPlatform, RegExp[]> = {
  aws: [/helm\.sh\/v3:Release .*cloud-controller/, /helm\.sh\/v3:Release .*ebs-csi/],
  gcp: [/apps\/v1:DaemonSet .*-ccm-/, /apps\/v1:Deployment .*-pd-controller/],
  kvm: [/apps\/v1:Deployment .*local-path/, /helm\.sh\/v3:Release .*metallb/],
};

const CLUSTERS = [
  "minos:flatcar:FlatcarCluster",
  "minos:fcos:FcosCluster",
  "minos:talos:TalosCluster",
];

describe.each<MinosPlatform>(["aws", "gcp", "kvm"])("pulumi destroy on %s", (platform) => {
  let run: EveryOsRun;
  let byUrn: Map<string, GraphNode>;
  let deps: Map<string, string[]>;
  const clusterOf = (urn: string): string | undefined => {
    for (let n = byUrn.get(urn); n; n = byUrn.get(n.parent))
      if (CLUSTERS.includes(n.type)) return n.urn;
    return undefined;
  };
  beforeAll(async () => {
    run = await everyOs(platform, { stack: `destroy-${platform}` });
    byUrn = new Map(run.graph.map((n) => [n.urn, n]));
    deps = dependenciesOf(run.graph);
  });

  it("deletes every Kubernetes object while everything that carries API traffic is still there", () => {
    const objects = run.graph.filter((n) => n.custom && n.type.startsWith("kubernetes:"));
    // Flannel (Flatcar, FCOS), kured, FleetLock, nginx on each: dozens of objects.
    expect(objects.length).toBeGreaterThan(20);
    const paths = new Map<string, GraphNode[]>();
    for (const cluster of run.graph.filter((n) => CLUSTERS.includes(n.type))) {
      const path = run.graph.filter(
        (n) => API_PATH[platform](n) && clusterOf(n.urn) === cluster.urn,
      );
      const types = new Set(path.map((n) => n.type));
      for (const type of MUST_SEE[platform]) expect(types, cluster.name).toContain(type);
      paths.set(cluster.urn, path);
    }
    expect(paths.size).toBe(3);

    const unsafe: string[] = [];
    for (const object of objects) {
      const cluster = clusterOf(object.provider);
      expect(cluster, `${object.name} uses no cluster's provider`).toBeDefined();
      const before = closure(deps, object.urn);
      for (const r of paths.get(cluster as string) ?? [])
        if (!before.has(r.urn)) unsafe.push(`${object.type} ${object.name}: ${r.type} ${r.name}`);
    }
    expect(unsafe).toEqual([]);
  });

  it("deletes nginx's LoadBalancer Service and its claim while the platform's controllers still run", () => {
    for (const cluster of run.graph.filter((n) => CLUSTERS.includes(n.type))) {
      const mine = (n: GraphNode) => clusterOf(n.provider) === cluster.urn;
      const service = run.graph.find(
        (n) => n.type === "kubernetes:core/v1:Service" && n.name.endsWith("-web") && mine(n),
      );
      const claim = run.graph.find(
        (n) =>
          n.type === "kubernetes:core/v1:PersistentVolumeClaim" &&
          n.name.endsWith("-web") &&
          mine(n),
      );
      expect(service, cluster.name).toBeDefined();
      // Talos on GCP takes no volumes, and nginx asks for none there.
      const volumes = !(platform === "gcp" && cluster.type === "minos:talos:TalosCluster");
      expect(claim !== undefined, cluster.name).toBe(volumes);
      // What makes load balancers and volumes: the platform's add-ons, in this cluster.
      const patterns = CONTROLLERS[platform].filter(
        (p) => volumes || !/pd-controller/.test(p.source),
      );
      const controllers = run.graph.filter(
        (n) =>
          n.custom && mine(n) && patterns.some((pattern) => pattern.test(`${n.type} ${n.name}`)),
      );
      expect(
        controllers.length,
        `${cluster.name}: no platform controller seen`,
      ).toBeGreaterThanOrEqual(patterns.length);
      for (const object of [service, ...(claim ? [claim] : [])]) {
        const before = closure(deps, object?.urn as string);
        for (const c of controllers)
          expect(before.has(c.urn), `${object?.name} before ${c.name}`).toBe(true);
      }
    }
  });

  it("models the engine: a Kubernetes object waits for its provider and gate, not for worker pools", () => {
    const nginx = run.graph.find((n) => n.name === "flatcar-web");
    expect(nginx).toBeDefined();
    const before = closure(deps, nginx?.urn as string);
    const names = [...before].map((urn) => byUrn.get(urn)?.name);
    expect(names).toEqual(expect.arrayContaining(["flatcar-k8s", "flatcar-api-ready"]));
    // The pool's machines; its token (which the nodes gate waits for) is not one.
    const pool = run.graph.filter(
      (n) =>
        n.custom &&
        n.name.startsWith("flatcar-worker-general") &&
        !n.name.startsWith("flatcar-worker-general-token") &&
        clusterOf(n.urn),
    );
    expect(pool.length).toBeGreaterThan(0);
    for (const p of pool) expect(before.has(p.urn), p.name).toBe(false);
  });
});
