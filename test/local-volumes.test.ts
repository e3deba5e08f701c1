import { FlatcarCluster } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LOCAL_VOLUMES_TMPFILES } from "../packages/fcos/src/local-volumes.js";
import type { EveryOsRun } from "./support/every-os.js";
import { everyOs } from "./support/every-os.js";
import { fileContents } from "./support/ignition-files.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { installMocks, plain, resolved } from "./support/pulumi-mocks.js";

const OSES = ["flatcar", "fcos", "talos"] as const;
const PATH = "/var/local-path-provisioner";

/** The local volume provisioner's objects a cluster registered. */
const localPath = (registered: RegisteredResource[], cluster: string) =>
  registered.filter(
    (r) => r.type.startsWith("kubernetes:") && r.name.startsWith(`${cluster}-local-path`),
  );

/** Every rendered payload of a cluster of the run, by group. */
async function payloads(run: EveryOsRun, os: (typeof OSES)[number]) {
  const cluster = run.clusters[OSES.indexOf(os)];
  if (!cluster) throw new Error(`no ${os} cluster in the run`);
  return Object.entries((await resolved(cluster.nodeConfigs)) as Record<string, string>);
}

const kubeletMounts = (payload: string) =>
  (parse(payload.split("\n---\n")[0] ?? "") as { machine: { kubelet: { extraMounts?: unknown } } })
    .machine.kubelet.extraMounts;

const hasTmpfiles = (payload: string) => {
  try {
    return fileContents(payload, LOCAL_VOLUMES_TMPFILES);
  } catch {
    return undefined;
  }
};

describe("volumes on KVM: a default StorageClass from local-path-provisioner", () => {
  let run: EveryOsRun;
  beforeAll(async () => {
    run = await everyOs("kvm", { stack: "local-volumes" });
  });

  it.each(OSES)("gives a %s cluster the provisioner, keeping volumes in /var", (os) => {
    const objects = localPath(run.registered, os);
    const kinds = objects.map((r) => r.type.replace(/^kubernetes:/, "")).sort();
    expect(kinds).toEqual(
      [
        "apps/v1:Deployment",
        "core/v1:ConfigMap",
        "core/v1:Namespace",
        "core/v1:ServiceAccount",
        "rbac.authorization.k8s.io/v1:ClusterRole",
        "rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        "rbac.authorization.k8s.io/v1:Role",
        "rbac.authorization.k8s.io/v1:RoleBinding",
        "storage.k8s.io/v1:StorageClass",
      ].sort(),
    );
    const config = plain<{ data: Record<string, string> }>(
      objects.find((r) => r.type === "kubernetes:core/v1:ConfigMap")?.inputs,
    );
    expect(JSON.parse(config.data["config.json"] ?? "").nodePathMap[0].paths).toEqual([PATH]);
    const deployment = JSON.stringify(
      objects.find((r) => r.type === "kubernetes:apps/v1:Deployment")?.inputs,
    );
    expect(deployment).toContain('"image":"docker.io/rancher/local-path-provisioner:v0.0.37"');
    const storageClass = objects.find(
      (r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass",
    );
    expect(storageClass?.inputs).toMatchObject({
      metadata: { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
      volumeBindingMode: "WaitForFirstConsumer",
    });
  });

  it("goes in through the cluster's provider, behind its API gate, and is among its add-ons", () => {
    for (const [i, os] of OSES.entries()) {
      const deployment = run.graph.find(
        (n) => n.type === "kubernetes:apps/v1:Deployment" && n.name === `${os}-local-path`,
      );
      expect(deployment?.provider).toContain(`${os}-k8s-bootstrap`);
      // Flatcar and FCOS add their CNI and update coordinator; all three end with these nine.
      expect(run.clusters[i]?.addons.length).toBeGreaterThanOrEqual(9);
    }
  });

  it("prepares the directory where an OS needs it: Talos's kubelet mount, FCOS's SELinux label", async () => {
    for (const [, payload] of await payloads(run, "talos"))
      expect(kubeletMounts(payload)).toEqual([
        { destination: PATH, type: "bind", source: PATH, options: ["bind", "rshared", "rw"] },
      ]);
    for (const [, payload] of await payloads(run, "fcos"))
      expect(hasTmpfiles(payload)).toBe(`d ${PATH} 0755 root root -\n`);
    // Flatcar's / is writable and its SELinux permissive: its payloads say nothing of it.
    for (const [, payload] of await payloads(run, "flatcar"))
      expect(hasTmpfiles(payload)).toBeUndefined();
  });
});

describe.each(["aws", "gcp"] as const)("volumes on %s", (platform) => {
  let run: EveryOsRun;
  beforeAll(async () => {
    run = await everyOs(platform, { stack: `local-volumes-${platform}` });
  });

  it("installs no local volume provisioner, and prepares no directory for one", async () => {
    for (const os of OSES) expect(localPath(run.registered, os)).toEqual([]);
    // The cloud's own volumes instead: one default class per cluster.
    const classes = run.registered
      .filter((r) => r.type.includes("StorageClass"))
      .map((r) => plain<{ provisioner: string }>(r.inputs).provisioner);
    // Talos takes no persistent disks on GCP (NodeOs.unavailableServices): two there.
    expect(classes).toEqual(
      platform === "aws"
        ? OSES.map(() => "ebs.csi.aws.com")
        : OSES.filter((os) => os !== "talos").map(() => "pd.csi.storage.gke.io"),
    );
    for (const [, payload] of await payloads(run, "talos"))
      expect(kubeletMounts(payload)).toBeUndefined();
    for (const [, payload] of await payloads(run, "fcos"))
      expect(hasTmpfiles(payload)).toBeUndefined();
  });
});

describe("platformServices: { volumes: false } on KVM", () => {
  it("installs no provisioner and no StorageClass", async () => {
    const registered = installMocks({ stack: "no-storage" });
    const cluster = new FlatcarCluster("bare", {
      platform: kvm({ cidr: "10.84.0.0/24" }),
      platformServices: { volumes: false },
      nodePools: { general: { count: 1 } },
    });
    await resolved(cluster.nodeConfigs);
    await new Promise((r) => setTimeout(r, 300));
    expect(localPath(registered, "bare")).toEqual([]);
    expect(registered.filter((r) => r.type.includes("StorageClass"))).toEqual([]);
    // The CNI and kured are still there.
    expect(registered.some((r) => r.name === "bare-flannel")).toBe(true);
  });
});
