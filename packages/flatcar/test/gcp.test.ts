import { gcp } from "@minos/gcp";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { fileContents } from "../../../test/support/ignition-files.js";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import {
  holdResources,
  installMocks,
  isSecretInput,
  mockStackHash,
  plain,
  releaseHeld,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import type { FlatcarClusterArgs } from "../src/index.js";
import { FlatcarCluster } from "../src/index.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
});

const SSH = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMinosTestKey test@minos";
const of = (cluster: string, type: string) =>
  registered.filter((r) => r.type === `gcp:${type}` && r.name.startsWith(`${cluster}-`));

async function onGcp(
  name: string,
  args: Partial<FlatcarClusterArgs> = {},
  platform = gcp({ region: "europe-west1" }),
) {
  const cluster = new FlatcarCluster(name, {
    platform,
    controlPlane: { count: 3 },
    nodePools: {
      general: { count: 2 },
      batch: { count: 1, minCount: 0, maxCount: 8, spot: true, machineType: "n2-standard-4" },
    },
    sysext: { hashes: { "kubernetes-v1.37.1-x86-64.raw": `sha256-${"d".repeat(64)}` } },
    tags: { Team: "Platform", "cost-center": "42" },
    ...args,
  });
  await resolved(cluster.nodePools);
  await resolved(cluster.controlPlaneIps);
  await new Promise((r) => setTimeout(r, 100));
  return cluster;
}

describe("FlatcarCluster on GCP, new network", () => {
  let cluster: FlatcarCluster;
  beforeAll(async () => {
    cluster = await onGcp("gprod");
  });

  it("makes a custom VPC, a regional subnet and Cloud NAT on a reserved address", () => {
    expect(of("gprod", "compute/network:Network")[0]?.inputs).toMatchObject({
      autoCreateSubnetworks: false,
    });
    expect(of("gprod", "compute/subnetwork:Subnetwork")[0]?.inputs).toMatchObject({
      region: "europe-west1",
      ipCidrRange: "10.0.0.0/20",
    });
    expect(of("gprod", "compute/routerNat:RouterNat")[0]?.inputs).toMatchObject({
      natIpAllocateOption: "MANUAL_ONLY",
    });
  });

  it("has exactly these firewall rules", () => {
    const rules = of("gprod", "compute/firewall:Firewall").map((r) => ({
      name: r.name.replace("gprod-", ""),
      allows: r.inputs.allows,
      from: r.inputs.sourceRanges ?? r.inputs.sourceTags,
      to: r.inputs.targetTags,
    }));
    expect(rules.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      {
        name: "api",
        allows: [{ protocol: "tcp", ports: ["6443"] }],
        from: ["0.0.0.0/0", "198.51.100.7/32"],
        to: ["gprod-control-plane"],
      },
      {
        name: "api-health",
        allows: [{ protocol: "tcp", ports: ["6443"] }],
        from: ["35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"],
        to: ["gprod-control-plane"],
      },
      { name: "internal", allows: [{ protocol: "all" }], from: ["gprod-node"], to: ["gprod-node"] },
    ]);
  });

  it("puts the reserved API address into the certificate and the kubeconfig", async () => {
    const configs = await resolved(cluster.nodeConfigs);
    const docs = parseAllDocuments(
      fileContents(configs["control-plane"] ?? "", "/etc/kubernetes/kubeadm.yaml"),
    ).map((d) => d.toJS());
    expect(docs[1].controlPlaneEndpoint).toBe("203.0.113.50:6443");
    expect(docs[1].apiServer.certSANs).toContain("203.0.113.50");
    expect(await resolved(cluster.kubeconfig)).toContain("server: https://203.0.113.50:6443");
  });

  it("balances the API over one instance group per control-plane node, health-checking /readyz", () => {
    expect(of("gprod", "compute/instanceGroup:InstanceGroup").map((g) => g.inputs.zone)).toEqual([
      "europe-west1-a",
      "europe-west1-b",
      "europe-west1-c",
    ]);
    expect(
      of("gprod", "compute/regionHealthCheck:RegionHealthCheck")[0]?.inputs.httpsHealthCheck,
    ).toMatchObject({ port: 6443, requestPath: "/readyz" });
    expect(of("gprod", "compute/address:Address").map((a) => a.inputs.labels)).toEqual([
      { team: "platform", "cost-center": "42", "minos-cluster": "gprod" },
      { team: "platform", "cost-center": "42", "minos-cluster": "gprod" },
    ]);
    expect(of("gprod", "compute/forwardingRule:ForwardingRule")[0]?.inputs).toMatchObject({
      ipAddress: "203.0.113.50",
      ports: ["6443"],
      loadBalancingScheme: "EXTERNAL",
    });
    expect(of("gprod", "compute/instanceGroupMembership:InstanceGroupMembership")).toHaveLength(3);
  });

  it("keeps payloads in a private bucket, secret, each role's service account reading only its own prefix", () => {
    const [bucket] = of("gprod", "storage/bucket:Bucket");
    expect(bucket?.inputs).toMatchObject({
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      location: "europe-west1",
    });
    const objects = of("gprod", "storage/bucketObject:BucketObject");
    expect(objects.map((o) => o.inputs.name).sort()).toEqual([
      "control-plane/init",
      "control-plane/join",
      "worker/batch",
      "worker/general",
    ]);
    for (const o of objects) expect(isSecretInput(o.inputs.content)).toBe(true);
    const init = plain<string>(
      objects.find((o) => o.inputs.name === "control-plane/init")?.inputs.content,
    );
    expect(JSON.parse(init).ignition.version).toBe("3.3.0");
    const grants = of("gprod", "storage/bucketIAMMember:BucketIAMMember").map((m) => ({
      role: m.inputs.role,
      member: m.inputs.member,
      expression: (m.inputs.condition as { expression: string }).expression,
    }));
    expect(grants).toHaveLength(2);
    for (const [role, account] of [
      ["control-plane", "cp"],
      ["worker", "wk"],
    ] as const) {
      const grant = grants.find((g) => g.expression.includes(`/objects/${role}/`));
      expect(grant).toMatchObject({ role: "roles/storage.objectViewer" });
      expect(grant?.member).toMatch(new RegExp(`^serviceAccount:gprod-${account}-`));
      expect(grant?.expression).toMatch(
        new RegExp(
          `^resource\\.name\\.startsWith\\("projects/_/buckets/gprod-payloads-[0-9a-f]+/objects/${role}/"\\)$`,
        ),
      );
    }
  });

  it("spreads control-plane instances over the region's first three zones by name (the mocks answer four), without external IPs, Shielded, with only a pointer to their Ignition in user-data", () => {
    const instances = of("gprod", "compute/instance:Instance");
    expect(instances.map((i) => i.inputs.zone)).toEqual([
      "europe-west1-a",
      "europe-west1-b",
      "europe-west1-c",
    ]);
    for (const i of instances) {
      expect(
        (i.inputs.networkInterfaces as { accessConfigs?: unknown }[])[0]?.accessConfigs,
      ).toBeUndefined();
      expect(i.inputs.shieldedInstanceConfig).toMatchObject({
        enableVtpm: true,
        enableIntegrityMonitoring: true,
      });
      expect(i.inputs.tags).toEqual(["gprod-node", "gprod-control-plane"]);
      // Metadata is readable by project Viewers and by pods: it holds no secret, only a pointer.
      const metadata = plain<Record<string, string>>(i.inputs.metadata);
      expect(isSecretInput((i.inputs.metadata as Record<string, unknown>)["user-data"])).toBe(
        false,
      );
      expect(metadata["block-project-ssh-keys"]).toBe("true");
      expect(metadata["user-data"]).not.toContain("PRIVATE KEY");
      const replace = JSON.parse(metadata["user-data"] ?? "").ignition.config.replace;
      expect(replace.source).toMatch(
        /^gs:\/\/gprod-payloads-[0-9a-f]+\/control-plane\/(init|join)$/,
      );
      expect(replace.verification.hash).toMatch(/^sha512-[0-9a-f]{128}$/);
      expect(i.inputs.labels).toMatchObject({
        "minos-cluster": "gprod",
        team: "platform",
        "cost-center": "42",
        "minos-role": "control-plane",
      });
    }
    expect(instances[0]?.inputs.bootDisk).toMatchObject({
      initializeParams: {
        image: "https://compute.test/projects/kinvolk-public/global/images/flatcar-stable-4230-2-3",
      },
    });
  });

  it("makes worker pools regional MIGs, spot and autoscaled as asked", () => {
    const templates = of("gprod", "compute/instanceTemplate:InstanceTemplate");
    const batch = templates.find((t) => t.name === "gprod-worker-batch");
    expect(batch?.inputs).toMatchObject({
      // Template names are unique per project: the prefix carries the stack hash.
      namePrefix: `gprod-worker-batch-${mockStackHash("gprod-worker-batch")}-`,
      machineType: "n2-standard-4",
      scheduling: { provisioningModel: "SPOT", preemptible: true },
    });
    expect(
      templates.find((t) => t.name === "gprod-worker-general")?.inputs.scheduling,
    ).toBeUndefined();
    const migs = of("gprod", "compute/regionInstanceGroupManager:RegionInstanceGroupManager");
    expect(migs.find((m) => m.name === "gprod-worker-general")?.inputs.targetSize).toBe(2);
    expect(
      of("gprod", "compute/regionAutoscaler:RegionAutoscaler")[0]?.inputs.autoscalingPolicy,
    ).toMatchObject({ minReplicas: 0, maxReplicas: 8 });
  });

  it("uses a service account per role with minimal scopes, its id unique to the stack", () => {
    const hash = mockStackHash("gprod");
    expect(of("gprod", "serviceaccount/account:Account").map((a) => a.inputs.accountId)).toEqual([
      `gprod-cp-${hash}`,
      `gprod-wk-${hash}`,
    ]);
    const [i] = of("gprod", "compute/instance:Instance");
    expect(i?.inputs.serviceAccount).toMatchObject({
      email: `gprod-cp-${hash}@project.iam.gserviceaccount.com`,
    });
    expect(JSON.stringify(i?.inputs.serviceAccount)).not.toContain("auth/cloud-platform");
  });
});

describe("FlatcarCluster on GCP, variations", () => {
  it("uses an existing network and opens SSH only with keys, only from sshAllowedCidrs", async () => {
    const platform = gcp({
      region: "us-central1",
      network: { network: "shared-vpc", subnetwork: "k8s-nodes" },
      apiAllowedCidrs: ["198.51.100.0/24"],
      sshAllowedCidrs: ["203.0.113.7/32"],
    });
    await onGcp("gbyo", { controlPlane: { count: 1 }, sshAuthorizedKeys: [SSH] }, platform);
    expect(of("gbyo", "compute/network:Network")).toEqual([]);
    const rules = Object.fromEntries(
      of("gbyo", "compute/firewall:Firewall").map((r) => [r.name, r.inputs.sourceRanges]),
    );
    expect(rules["gbyo-ssh"]).toEqual(["203.0.113.7/32"]);
    expect(rules["gbyo-api"]).toEqual(["198.51.100.0/24", "198.51.100.7/32"]);
  });

  it("creates workers without waiting for any control-plane instance", async () => {
    holdResources("gcp:compute/instance:Instance");
    const cluster = new FlatcarCluster("gpar", {
      platform: gcp({ region: "europe-west4" }),
      nodePools: { general: { count: 2 } },
    });
    await resolved(cluster.nodeConfigs);
    await new Promise((r) => setTimeout(r, 100));
    expect(
      of("gpar", "compute/regionInstanceGroupManager:RegionInstanceGroupManager"),
    ).toHaveLength(1);
    expect(of("gpar", "compute/instance:Instance")).toEqual([]);
    releaseHeld();
    await resolved(cluster.controlPlaneIps);
  });

  it("keeps the node configs secret", async () => {
    const cluster = await onGcp("gsec", { controlPlane: { count: 1 } });
    expect(await pulumi.isSecret(cluster.nodeConfigs)).toBe(true);
  });

  it.each([
    [{ region: "Europe" }, "region"],
    [
      { region: "europe-west1", network: { network: "Bad Name", subnetwork: "x" } },
      "network.network",
    ],
    [{ region: "europe-west1", apiAllowedCidrs: ["everyone"] }, "apiAllowedCidrs[0]"],
    [{ region: "europe-west1", defaultMachineType: "big" }, "defaultMachineType"],
  ])("gcp() refuses %j", (args, argument) => {
    expect(() => gcp(args as never)).toThrow(expect.objectContaining({ argument }));
  });
});
