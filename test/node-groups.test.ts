/**
 * Core's NodeGroup on each minos platform: a Flatcar node group joining a
 * FlatcarCluster in the same program, and one joining a cluster of another
 * stack through a plain ClusterRef, makes its machines inside that cluster's
 * site (its subnets, security group, payload bucket, network tag, service
 * account, libvirt network), as the registered resources' inputs show.
 */
import { aws } from "@minos/aws";
import type { ClusterRef, JoinInfo, SiteIds } from "@minos/core";
import { NodeGroup } from "@minos/core";
import { FlatcarCluster, flatcarOs } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { kvm, macFor } from "@minos/kvm";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { fileContents } from "./support/ignition-files.js";
import { poolTokenOf } from "./support/pool-tokens.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import {
  installMocks,
  isSecretInput,
  mockStackHash,
  plain,
  resolved,
} from "./support/pulumi-mocks.js";

let registered: RegisteredResource[];
/** The other stack's cluster as a Kubernetes provider, made from its kubeconfig. */
let provider: k8s.Provider;
beforeAll(() => {
  registered = installMocks({ stack: "node-groups" });
  provider = new k8s.Provider("elsewhere", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
});

/** Registered resources of a type whose name starts with `<prefix>-`. */
const of = (prefix: string, type: string) =>
  registered.filter((r) => r.type === type && r.name.startsWith(`${prefix}-`));

/** Waits until nothing new registers. */
async function settle(): Promise<void> {
  for (let seen = -1; seen !== registered.length; ) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 150));
  }
}

const SYSEXT = { hashes: { "kubernetes-v1.37.1-x86-64.raw": `sha256-${"e".repeat(64)}` } };
const pool = { nodePools: { extra: { count: 3 } } };

/** A Flatcar node group of one three-machine pool, as core's own NodeGroup. */
async function flatcarGroup(name: string, cluster: ClusterRef): Promise<NodeGroup> {
  const group = new NodeGroup("minos:test:NodeGroup", name, flatcarOs({ sysext: SYSEXT }), {
    cluster,
    ...pool,
  });
  await resolved(group.nodeConfigs);
  await settle();
  return group;
}

async function flatcarCluster(name: string, platform: FlatcarCluster["platform"]) {
  const cluster = new FlatcarCluster(name, {
    platform,
    nodePools: { general: { count: 1 } },
    sysext: SYSEXT,
  });
  await resolved(cluster.nodeConfigs);
  await settle();
  return cluster;
}

/** Join information as another stack exports it (secret), with a site's ids. */
function joinFrom(site: SiteIds): pulumi.Output<JoinInfo> {
  return pulumi.secret({
    clusterName: "elsewhere",
    kubernetesVersion: "1.37.1",
    endpoint: { host: "api.elsewhere.example.test", port: 6443 },
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/12",
    caCertPem: "-----BEGIN CERTIFICATE-----\nelsewhere\n-----END CERTIFICATE-----\n",
    caCertHash: `sha256:${"a".repeat(64)}`,
    osUpdates: { mode: "coordinated" },
    site,
  });
}

/** A cluster of another stack, as a ClusterRef: its platform configured as there, its exports. */
function elsewhere(platform: ClusterRef["platform"], site: SiteIds): ClusterRef {
  return {
    platform,
    join: joinFrom(site),
    kubernetesVersion: "1.37.1",
    cni: { plugin: "flannel", deployedBy: "minos" },
    osUpdates: { mode: "coordinated" },
    provider,
  };
}

const AWS = {
  asg: "aws:autoscaling/group:Group",
  template: "aws:ec2/launchTemplate:LaunchTemplate",
  object: "aws:s3/bucketObjectv2:BucketObjectv2",
};

/** A launch template's network settings and the Ignition pointer its user-data holds. */
function launchTemplate(r: RegisteredResource | undefined) {
  const inputs = plain<{
    userData: string;
    iamInstanceProfile: { arn: string };
    networkInterfaces: { securityGroups: string[]; associatePublicIpAddress: string }[];
  }>(r?.inputs ?? {});
  return {
    securityGroups: inputs.networkInterfaces[0]?.securityGroups,
    publicIp: inputs.networkInterfaces[0]?.associatePublicIpAddress,
    instanceProfileArn: inputs.iamInstanceProfile.arn,
    source: JSON.parse(Buffer.from(inputs.userData, "base64").toString()).ignition.config.replace
      .source as string,
    userDataSecret: isSecretInput(r?.inputs.userData),
  };
}

describe("a NodeGroup joining a FlatcarCluster on AWS", () => {
  let cluster: FlatcarCluster;
  beforeAll(async () => {
    cluster = await flatcarCluster("awsc", aws());
    await flatcarGroup("awsng", cluster);
  });

  it("makes one auto-scaling group of exactly 3 in the cluster's node subnets", async () => {
    const site = (await resolved(cluster.join)).site;
    const asgs = of("awsng", AWS.asg);
    expect(asgs.map((a) => a.name)).toEqual(["awsng-extra"]);
    expect(asgs[0]?.inputs).toMatchObject({ desiredCapacity: 3, minSize: 3, maxSize: 3 });
    const clusterAsg = of("awsc", AWS.asg)[0];
    expect(asgs[0]?.inputs.vpcZoneIdentifiers).toEqual(site.nodeSubnetIds);
    expect(asgs[0]?.inputs.vpcZoneIdentifiers).toEqual(clusterAsg?.inputs.vpcZoneIdentifiers);
    expect((site.nodeSubnetIds as string[]).length).toBeGreaterThan(0);
  });

  it("tags its pools with the cluster's name, for the cloud provider and the autoscaler", async () => {
    const tags = of("awsng", AWS.template)[0]?.inputs.tags as Record<string, string>;
    expect(tags).toMatchObject({
      "minos:cluster": "awsc",
      "kubernetes.io/cluster/awsc": "owned",
    });
    expect(Object.keys(tags)).not.toContain("kubernetes.io/cluster/awsng");
  });

  it("launches into the cluster's node security group, with its worker profile", async () => {
    const site = (await resolved(cluster.join)).site;
    const mine = launchTemplate(of("awsng", AWS.template)[0]);
    const theirs = launchTemplate(of("awsc", AWS.template)[0]);
    expect(mine.securityGroups).toEqual([site.nodeSecurityGroupId]);
    expect(mine.securityGroups).toEqual(theirs.securityGroups);
    expect(mine.instanceProfileArn).toBe(site.workerInstanceProfileArn);
    expect(mine.instanceProfileArn).toBe(theirs.instanceProfileArn);
  });

  it("points user-data at its payload, stored secret in the cluster's bucket under worker/node-groups/<group>-<stack hash>/<pool>", async () => {
    const site = (await resolved(cluster.join)).site;
    const mine = launchTemplate(of("awsng", AWS.template)[0]);
    const key = mine.source.replace(`s3://${site.payloadBucket}/`, "");
    // Apart from the cluster's own worker/<pool> keys whatever the names, and from other stacks' groups.
    expect(key).toMatch(/^worker\/node-groups\/awsng-[0-9a-f]{8}\/extra$/);
    expect(site.payloadBucket).toBe("awsc-payloads-bucket");
    expect(mine.userDataSecret).toBe(false);
    const objects = of("awsng", AWS.object);
    expect(objects).toHaveLength(1);
    expect(objects[0]?.inputs).toMatchObject({
      bucket: site.payloadBucket,
      key,
    });
    expect(isSecretInput(objects[0]?.inputs.content)).toBe(true);
    // The worker role may read worker/*: the group's key is inside what the cluster's nodes may read.
    const policy = of("awsc", "aws:iam/rolePolicy:RolePolicy").find(
      (p) => p.name === "awsc-worker-payloads",
    );
    expect(JSON.parse(policy?.inputs.policy as string).Statement[0].Resource).toEqual([
      "arn:aws:s3:::awsc-payloads-bucket/worker/*",
    ]);
  });
});

describe("a NodeGroup joining a FlatcarCluster on GCP", () => {
  let cluster: FlatcarCluster;
  beforeAll(async () => {
    cluster = await flatcarCluster("gcpc", gcp({ region: "europe-west1" }));
    await flatcarGroup("gcpng", cluster);
  });

  it("makes one regional managed instance group of exactly 3", () => {
    const groups = of("gcpng", "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager");
    expect(groups.map((g) => g.name)).toEqual(["gcpng-extra"]);
    // Over the cluster's own pinned zones (the region's first three by name).
    expect(groups[0]?.inputs).toMatchObject({
      region: "europe-west1",
      targetSize: 3,
      distributionPolicyZones: ["europe-west1-a", "europe-west1-b", "europe-west1-c"],
    });
    expect(of("gcpng", "gcp:compute/regionAutoscaler:RegionAutoscaler")).toEqual([]);
  });

  it("tags its template with the cluster's node tag, on the cluster's worker account and subnetwork", async () => {
    const site = (await resolved(cluster.join)).site;
    const template = (prefix: string) =>
      plain<{
        tags: string[];
        serviceAccount: { email: string };
        networkInterfaces: { subnetwork: string }[];
      }>(of(prefix, "gcp:compute/instanceTemplate:InstanceTemplate")[0]?.inputs ?? {});
    const mine = template("gcpng");
    const theirs = template("gcpc");
    expect(mine.tags).toEqual(["gcpc-node"]);
    expect(mine.tags).toEqual(theirs.tags);
    expect(site.nodeTag).toBe("gcpc-node");
    expect(mine.serviceAccount.email).toBe(site.workerServiceAccount);
    expect(mine.serviceAccount.email).toBe(theirs.serviceAccount.email);
    expect(mine.networkInterfaces[0]?.subnetwork).toBe(site.subnetwork);
    expect(mine.networkInterfaces[0]?.subnetwork).toBe(theirs.networkInterfaces[0]?.subnetwork);
    // The cluster's firewall lets that tag talk to the cluster's nodes.
    const internal = of("gcpc", "gcp:compute/firewall:Firewall").find(
      (f) => f.name === "gcpc-internal",
    );
    expect(internal?.inputs).toMatchObject({
      sourceTags: ["gcpc-node"],
      targetTags: ["gcpc-node"],
    });
  });
});

describe("a NodeGroup joining a FlatcarCluster on KVM", () => {
  let cluster: FlatcarCluster;
  beforeAll(async () => {
    cluster = await flatcarCluster("kvmc", kvm({ cidr: "10.91.0.0/24" }));
    await flatcarGroup("kvmng", cluster);
  });

  it("makes exactly 3 domains on the cluster's libvirt network, with distinct names and MACs", async () => {
    const domains = of("kvmng", "pulumi-nodejs:dynamic/minos-libvirt:Domain").map((d) =>
      plain<{ name: string; network: { name: string; mac: string } }>(d.inputs),
    );
    expect(domains).toHaveLength(3);
    const network = `minos-kvmc-${mockStackHash("kvmc", "minos-test", "node-groups")}`;
    expect((await resolved(cluster.join)).site).toEqual({ network });
    for (const d of domains) expect(d.network.name).toBe(network);
    const hash = mockStackHash("kvmng", "minos-test", "node-groups");
    // Each named by its slot and its generation (what it is made from), then the stack hash.
    expect(domains.map((d) => d.name).sort()).toEqual(
      ["kvmng-extra-0", "kvmng-extra-1", "kvmng-extra-2"].map((n) =>
        expect.stringMatching(new RegExp(`^${n}-[0-9a-f]{6}-${hash}$`)),
      ),
    );
    expect(new Set(domains.map((d) => d.network.mac)).size).toBe(3);
    for (const d of domains) expect(d.network.mac).toBe(macFor(d.name.replace(`-${hash}`, "")));
    // The cluster's own worker is on the same network.
    const own = of("kvmc", "pulumi-nodejs:dynamic/minos-libvirt:Domain").map(
      (d) => plain<{ network: { name: string; mac: string } }>(d.inputs).network,
    );
    expect(own.map((n) => n.name)).toContain(network);
    expect(own.map((n) => n.mac)).not.toContain(domains[0]?.network.mac);
  });
});

describe("a NodeGroup joining a cluster of another stack, with no cluster in this program", () => {
  const clusterComponents = () =>
    registered.filter((r) => /:(Flatcar|Fcos|Talos)?Cluster$/.test(r.type));

  it("on AWS: machines in the subnets, security group, bucket and profile it was given", async () => {
    const site = {
      vpcId: "vpc-0e15e0000000000aa",
      nodeSubnetIds: ["subnet-0e15e00000000000a", "subnet-0e15e00000000000b"],
      publicNodes: "false",
      nodeSecurityGroupId: "sg-0e15e000000000001",
      payloadBucket: "elsewhere-payloads-0e15e",
      workerInstanceProfileArn: "arn:aws:iam::111122223333:instance-profile/elsewhere-worker",
    };
    const before = clusterComponents().length;
    await flatcarGroup("xaws", elsewhere(aws(), site));
    expect(clusterComponents()).toHaveLength(before);
    expect(of("xaws", "aws:ec2/vpc:Vpc")).toEqual([]);
    expect(of("xaws", "aws:s3/bucket:Bucket")).toEqual([]);
    const [asg] = of("xaws", AWS.asg);
    expect(asg?.inputs).toMatchObject({
      desiredCapacity: 3,
      vpcZoneIdentifiers: site.nodeSubnetIds,
    });
    const template = launchTemplate(of("xaws", AWS.template)[0]);
    expect(template).toMatchObject({
      securityGroups: [site.nodeSecurityGroupId],
      publicIp: "false",
      instanceProfileArn: site.workerInstanceProfileArn,
      source: expect.stringMatching(
        /^s3:\/\/elsewhere-payloads-0e15e\/worker\/node-groups\/xaws-[0-9a-f]{8}\/extra$/,
      ),
    });
    expect(of("xaws", AWS.object)[0]?.inputs).toMatchObject({
      bucket: site.payloadBucket,
      key: expect.stringMatching(/^worker\/node-groups\/xaws-[0-9a-f]{8}\/extra$/),
    });
  });

  it("on GCP: machines on the subnetwork, account and node tag it was given", async () => {
    const site = {
      subnetwork: "projects/elsewhere/regions/europe-west1/subnetworks/elsewhere-nodes",
      workerServiceAccount: "elsewhere-worker@elsewhere.iam.gserviceaccount.com",
      nodeTag: "elsewhere-node",
    };
    const before = clusterComponents().length;
    await flatcarGroup("xgcp", elsewhere(gcp({ region: "europe-west1" }), site));
    expect(clusterComponents()).toHaveLength(before);
    expect(of("xgcp", "gcp:compute/network:Network")).toEqual([]);
    expect(
      of("xgcp", "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager")[0]?.inputs,
    ).toMatchObject({ targetSize: 3 });
    const template = plain<{
      tags: string[];
      serviceAccount: { email: string };
      networkInterfaces: { subnetwork: string }[];
    }>(of("xgcp", "gcp:compute/instanceTemplate:InstanceTemplate")[0]?.inputs ?? {});
    expect(template.tags).toEqual([site.nodeTag]);
    expect(template.serviceAccount.email).toBe(site.workerServiceAccount);
    expect(template.networkInterfaces[0]?.subnetwork).toBe(site.subnetwork);
  });

  it("on KVM: domains on the libvirt network it was given", async () => {
    const site = { network: "minos-elsewhere-0e15e000" };
    const before = clusterComponents().length;
    await flatcarGroup("xkvm", elsewhere(kvm(), site));
    expect(clusterComponents()).toHaveLength(before);
    expect(of("xkvm", "pulumi-nodejs:dynamic/minos-libvirt:Network")).toEqual([]);
    const domains = of("xkvm", "pulumi-nodejs:dynamic/minos-libvirt:Domain").map((d) =>
      plain<{ name: string; network: { name: string; mac: string } }>(d.inputs),
    );
    expect(domains).toHaveLength(3);
    for (const d of domains) expect(d.network.name).toBe(site.network);
    expect(new Set(domains.map((d) => d.name)).size).toBe(3);
    expect(new Set(domains.map((d) => d.network.mac)).size).toBe(3);
  });

  it("renders its workers against the other stack's endpoint, with a token of its own and no CA key", async () => {
    const group = new NodeGroup("minos:test:NodeGroup", "xrender", flatcarOs({ sysext: SYSEXT }), {
      cluster: elsewhere(kvm(), { network: "minos-elsewhere-0e15e000" }),
      nodePools: { extra: { count: 1 } },
    });
    const payload = (await resolved(group.nodeConfigs))["worker/extra"] ?? "";
    await settle();
    const kubeadm = fileContents(payload, "/etc/kubernetes/kubeadm.yaml");
    expect(kubeadm).toContain("apiServerEndpoint: api.elsewhere.example.test:6443");
    // Its pool's own token, valid once its Secret is made in the other stack's cluster.
    expect(kubeadm).toContain(`token: ${poolTokenOf(registered, "xrender-extra").token}`);
    expect(kubeadm).toContain(`sha256:${"a".repeat(64)}`);
    expect(payload).not.toContain("PRIVATE KEY");
    expect(await pulumi.isSecret(group.nodeConfigs)).toBe(true);
  });
});

describe("a NodeGroup's name", () => {
  it.each([
    ["Bad_Name", /lowercase letters/],
    ["a".repeat(32), /1-31 characters/],
    ["goog-pool", /reserved by S3 and GCP/],
  ])("%s is refused as a cluster's would be, before any resource", async (name, why) => {
    const before = registered.length;
    let error: unknown;
    try {
      new NodeGroup("minos:test:NodeGroup", name, flatcarOs({ sysext: SYSEXT }), {
        cluster: elsewhere(gcp({ region: "europe-west1" }), {
          subnetwork: "projects/elsewhere/regions/europe-west1/subnetworks/elsewhere-nodes",
          workerServiceAccount: "elsewhere-worker@elsewhere.iam.gserviceaccount.com",
          nodeTag: "elsewhere-node",
        }),
        ...pool,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ argument: "name", value: name });
    expect((error as Error).message).toMatch(why);
    await settle();
    expect(registered).toHaveLength(before);
  });
});

describe("a NodeGroup's Kubernetes release beside the cluster's", () => {
  /** The other stack's cluster, its control plane recorded at `running` (its gate's release, in join). */
  const runningAt = (running: string, kubernetesVersion: string): ClusterRef => {
    const site = { network: "minos-elsewhere-0e15e000" };
    return {
      ...elsewhere(kvm(), site),
      kubernetesVersion,
      join: joinFrom(site).apply((j) => ({ ...j, kubernetesVersion: running })),
    };
  };
  const payloadOf = (group: NodeGroup) =>
    (group.nodeConfigs as unknown as { promise(): Promise<Record<string, string>> }).promise();

  /**
   * What the program fails with while `run` runs: a machine whose payload
   * failed cannot register, which Pulumi's language host reports as the
   * program's error (as it does here for the test runner, held back meanwhile).
   */
  async function programErrorsDuring(run: () => Promise<void>): Promise<unknown[]> {
    const runner = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const seen: unknown[] = [];
    const record = (reason: unknown) => seen.push(reason);
    process.on("unhandledRejection", record);
    try {
      await run();
    } finally {
      process.off("unhandledRejection", record);
      for (const listener of runner) process.on("unhandledRejection", listener);
    }
    return seen;
  }

  it("refuses, before any machine takes a payload, a release newer than the control plane runs", async () => {
    const refusal = {
      argument: "cluster.kubernetesVersion",
      value: "1.37.1",
      message: expect.stringContaining(
        "the cluster's control plane runs 1.36.3, and a kubelet is never newer than its API server: upgrade the cluster first",
      ),
    };
    const errors = await programErrorsDuring(async () => {
      const group = new NodeGroup("minos:test:NodeGroup", "xahead", flatcarOs({ sysext: SYSEXT }), {
        cluster: runningAt("1.36.3", "1.37.1"),
        nodePools: { extra: { count: 1 } },
      });
      await expect(payloadOf(group)).rejects.toMatchObject(refusal);
      await settle();
    });
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e).toMatchObject(refusal);
    expect(of("xahead", "pulumi-nodejs:dynamic/minos-libvirt:Domain")).toEqual([]);
  });

  it("renders the release the control plane runs, for a group asking for an older one within the skew", async () => {
    const group = new NodeGroup("minos:test:NodeGroup", "xbehind", flatcarOs({ sysext: SYSEXT }), {
      cluster: runningAt("1.37.1", "1.36.3"),
      nodePools: { extra: { count: 1 } },
    });
    const payload = (await payloadOf(group))["worker/extra"] ?? "";
    expect(payload).toContain("kubernetes-v1.37.1-x86-64.raw");
    await settle();
    expect(of("xbehind", "pulumi-nodejs:dynamic/minos-libvirt:Domain")).toHaveLength(1);
  });
});
