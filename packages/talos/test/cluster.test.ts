import { aws, awsDescription } from "@minos/aws";
import type { Platform } from "@minos/core";
import { fittingPayload } from "@minos/core";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import type { EngineRecording, RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import {
  installMocks,
  invoked,
  isSecretInput,
  plain,
  recordEngine,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import type { TalosClusterArgs } from "../src/index.js";
import { TalosCluster, talosOs } from "../src/index.js";

let registered: RegisteredResource[];
let engine: EngineRecording;
beforeAll(() => {
  registered = installMocks();
  engine = recordEngine();
});

const BOOTSTRAP = "pulumi-nodejs:dynamic/minos-talos:EtcdBootstrap";
const UPGRADE = "pulumi-nodejs:dynamic/minos-talos:TalosUpgrade";
const CONFIG = "pulumi-nodejs:dynamic/minos-talos:TalosConfigApply";
/** The URNs a resource depends on, as the engine is told. */
const dependencies = (name: string) =>
  engine.graph.find((n) => n.name === name)?.dependencies ?? [];
const urn = (name: string) => engine.graph.find((n) => n.name === name)?.urn;
const of = (cluster: string, type: string) =>
  registered.filter((r) => r.type === type && r.name.startsWith(`${cluster}-`));

async function talos(name: string, platform: Platform, args: Partial<TalosClusterArgs> = {}) {
  const cluster = new TalosCluster(name, {
    platform,
    nodePools: { general: { count: 2 } },
    ...args,
  });
  await resolved(cluster.kubeconfig);
  await resolved(cluster.talosconfig);
  await resolved(cluster.nodeConfigsRedacted);
  await new Promise((r) => setTimeout(r, 100));
  return cluster;
}

describe("TalosCluster under mocks", () => {
  it("on KVM: the NoCloud disk, a cidata ISO per node, and the bootstrap call to the first control-plane node", async () => {
    const cluster = await talos("tk", kvm({ cidr: "10.80.0.0/24" }));
    const [base] = of("tk", "pulumi-nodejs:dynamic/minos-libvirt:BaseImage");
    expect(base?.inputs).toMatchObject({
      url: "https://factory.talos.dev/image/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba/v1.13.9/nocloud-amd64.raw.xz",
      digest: { insecureSkipVerify: true },
      format: "raw",
      compression: "xz",
    });
    const seeds = of("tk", "pulumi-nodejs:dynamic/minos-libvirt:ConfigDisk");
    expect(seeds).toHaveLength(3);
    for (const seed of seeds) expect(isSecretInput(seed.inputs.userData)).toBe(true);
    const cpSeed = seeds.find((s) => s.name === "tk-control-plane-0-seed");
    expect(parse(plain<string>(cpSeed?.inputs.userData)).machine.type).toBe("controlplane");

    const [bootstrap] = of("tk", BOOTSTRAP);
    expect(of("tk", BOOTSTRAP)).toHaveLength(1);
    expect(bootstrap?.inputs).toMatchObject({ address: "10.80.0.10:50000", timeoutSeconds: 1800 });
    expect(isSecretInput(bootstrap?.inputs.clientKeyPem)).toBe(true);
    expect(isSecretInput(bootstrap?.inputs.clusterId)).toBe(true);

    // Talos never updates itself: a release change goes to every node over its API, control plane first.
    const [release] = of("tk", UPGRADE);
    expect(plain(release?.inputs)).toMatchObject({
      address: "10.80.0.10:50000",
      // Workers are not among them: on KVM as in the clouds they roll to a new release.
      nodes: ["10.80.0.10"],
      // etcd is checked around each of these: healthy before it goes and once it is back.
      controlPlaneNodes: ["10.80.0.10"],
      talosVersion: cluster.talosVersion,
      image: `factory.talos.dev/nocloud-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v${cluster.talosVersion}`,
    });
    expect(isSecretInput(release?.inputs.clientKeyPem)).toBe(true);
    // No preserve: Talos keeps its own etcd checks and upgrade lock.
    expect(release?.inputs.preserve).toBeUndefined();

    // A changed machine config goes to every node with a fixed address, by group, control
    // plane first; workers take theirs as new machines (their pool rolls).
    const [config] = of("tk", CONFIG);
    expect(of("tk", CONFIG)).toHaveLength(1);
    expect(plain(config?.inputs)).toMatchObject({
      address: "10.80.0.10:50000",
      groups: [
        { name: "control-plane", nodes: ["10.80.0.10"] },
        { name: "worker/general", nodes: [] },
      ],
      kubernetesVersion: cluster.kubernetesVersion,
      timeoutSeconds: 1800,
    });
    expect(isSecretInput(config?.inputs.configs)).toBe(true);
    expect(plain(config?.inputs.configs)).toEqual(await resolved(cluster.nodeConfigs));
    // After the bootstrap and after any release upgrade: never two nodes down at once.
    expect(dependencies("tk-talos-config")).toEqual(
      expect.arrayContaining([urn("tk-etcd-bootstrap"), urn("tk-talos-release")]),
    );

    // Talos deploys Flannel itself: minos installs no CNI of its own, only
    // KVM's platform services: local volumes (nine objects) and MetalLB (four).
    expect(cluster.addons).toHaveLength(13);
    expect(registered.filter((r) => r.name.startsWith("tk-flannel"))).toEqual([]);
    expect(await resolved(cluster.endpoint)).toBe("https://10.80.0.10:6443");
  });

  it("on KVM with three control-plane nodes: Talos holds the API's virtual address, talosctl goes to the nodes", async () => {
    const cluster = await talos("tv", kvm({ cidr: "10.86.0.0/24" }), {
      controlPlane: { count: 3 },
    });
    expect(await resolved(cluster.endpoint)).toBe("https://10.86.0.5:6443");
    const [net] = of("tv", "pulumi-nodejs:dynamic/minos-libvirt:Network");
    expect(net?.inputs.addresses).toEqual([{ ip: "10.86.0.5", name: "tv-api" }]);
    const configs = await resolved(cluster.nodeConfigs);
    for (const role of ["control-plane", "control-plane-join"]) {
      const docs = parseAllDocuments(configs[role] ?? "").map((d) => d.toJS());
      expect(docs[0].cluster.controlPlane.endpoint).toBe("https://10.86.0.5:6443");
      expect(docs[0].machine.certSANs).toContain("10.86.0.5");
      // Talos 1.13's documents, fields as its types declare them.
      expect(docs.slice(1)).toEqual([
        {
          apiVersion: "v1alpha1",
          kind: "LinkAliasConfig",
          name: "minos-api",
          selector: { match: 'glob("52:54:00:*", mac(link.permanent_addr))' },
        },
        { apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: "10.86.0.5", link: "minos-api" },
      ]);
    }
    expect(parseAllDocuments(configs["worker/general"] ?? "")).toHaveLength(1);
    const redacted = await resolved(cluster.nodeConfigsRedacted);
    expect(parseAllDocuments(redacted["control-plane"] ?? "")[2]?.toJS()).toMatchObject({
      kind: "Layer2VIPConfig",
    });
    const talosconfig = parse(await resolved(cluster.talosconfig));
    expect(talosconfig.contexts.tv.endpoints).toEqual(["10.86.0.10", "10.86.0.11", "10.86.0.12"]);
    expect(of("tv", BOOTSTRAP)[0]?.inputs).toMatchObject({ address: "10.86.0.10:50000" });
  });

  it("keeps the talosconfig and configs secret, and shows a redacted rendering in plain text", async () => {
    const cluster = await talos("ts", kvm({ cidr: "10.81.0.0/24" }));
    expect(await pulumi.isSecret(cluster.talosconfig)).toBe(true);
    expect(await pulumi.isSecret(cluster.nodeConfigs)).toBe(true);
    expect(await pulumi.isSecret(cluster.nodeConfigsRedacted)).toBe(false);
    const talosconfig = parse(await resolved(cluster.talosconfig));
    expect(talosconfig.context).toBe("ts");
    expect(talosconfig.contexts.ts).toMatchObject({
      endpoints: ["10.81.0.10"],
      nodes: ["10.81.0.10"],
    });
    for (const field of ["ca", "crt", "key"])
      expect(Buffer.from(talosconfig.contexts.ts[field], "base64").toString()).toMatch(
        /^-----BEGIN /,
      );
    const redacted = await resolved(cluster.nodeConfigsRedacted);
    expect(Object.keys(redacted).sort()).toEqual(["control-plane", "worker/general"]);
    const configs = await resolved(cluster.nodeConfigs);
    const token = parse(configs["control-plane"] ?? "").machine.token as string;
    expect(redacted["control-plane"]).not.toContain(token);
    expect(parse(redacted["control-plane"] ?? "").machine.token).toMatch(/^redacted:sha256:/);
  });

  it("on AWS: Talos's AMI, the config in user-data, apid behind the NLB on 50000", async () => {
    await talos("ta", aws(), { controlPlane: { count: 3 } });
    expect(
      invoked.filter((i) => i.token === "aws:ec2/getAmi:getAmi").map((i) => i.inputs),
    ).toContainEqual(
      expect.objectContaining({
        owners: ["540036508848"],
        filters: expect.arrayContaining([{ name: "name", values: ["talos-v1.13.9-*-amd64"] }]),
      }),
    );
    const instances = of("ta", "aws:ec2/instance:Instance");
    expect(instances).toHaveLength(3);
    for (const i of instances) {
      expect(isSecretInput(i.inputs.userData)).toBe(true);
      expect(parse(plain<string>(i.inputs.userData)).machine.type).toBe("controlplane");
    }
    const groups = of("ta", "aws:lb/targetGroup:TargetGroup").map((g) => g.inputs);
    expect(groups).toContainEqual(
      expect.objectContaining({
        port: 50000,
        protocol: "TCP",
        healthCheck: expect.objectContaining({ protocol: "TCP", port: "50000" }),
      }),
    );
    expect(
      of("ta", "aws:lb/listener:Listener")
        .map((l) => l.inputs.port)
        .sort(),
    ).toEqual([50000, 6443]);
    expect(of("ta", "aws:lb/targetGroupAttachment:TargetGroupAttachment")).toHaveLength(6);
    const [bootstrap] = of("ta", BOOTSTRAP);
    expect(bootstrap?.inputs.address).toBe("ta-api-0123456789.elb.us-east-1.amazonaws.com:50000");
    // The control plane's instances have addresses; the autoscaled pool takes new configs as new machines.
    const [config] = of("ta", CONFIG);
    const applied = plain<{ name: string; nodes: string[] }[]>(config?.inputs.groups);
    expect(applied.map((g) => [g.name, g.nodes.length])).toEqual([
      ["control-plane", 1],
      ["control-plane-join", 2],
      ["worker/general", 0],
    ]);
  });

  it("on GCP: the image imported from the Image Factory, apid on the load balancer's address", async () => {
    await talos("tg", gcp({ region: "europe-west1" }));
    const [bucket] = of("tg", "gcp:storage/bucket:Bucket");
    expect(bucket?.inputs).toMatchObject({ location: "US", uniformBucketLevelAccess: true });
    const object = of("tg", "gcp:storage/bucketObject:BucketObject")[0];
    if (!object) throw new Error("no bucket object");
    expect(object.inputs.name).toBe("talos-v1.13.9-376567988ad3-gcp-amd64.raw.tar.gz");
    // Copied from the Image Factory by Pulumi itself (a remote asset), not by the program.
    expect(await (object.inputs.source as pulumi.asset.RemoteAsset).uri).toBe(
      "https://factory.talos.dev/image/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba/v1.13.9/gcp-amd64.raw.tar.gz",
    );
    const [image] = of("tg", "gcp:compute/image:Image");
    expect(image?.inputs.guestOsFeatures).toEqual([
      { type: "VIRTIO_SCSI_MULTIQUEUE" },
      { type: "UEFI_COMPATIBLE" },
    ]);
    expect(image?.inputs.rawDisk).toMatchObject({
      source:
        "https://storage.googleapis.com/tg-talos-amd64-0a1b2c/talos-v1.13.9-376567988ad3-gcp-amd64.raw.tar.gz",
    });
    const rules = of("tg", "gcp:compute/forwardingRule:ForwardingRule").map((r) => r.inputs.ports);
    expect(rules).toEqual(expect.arrayContaining([["6443"], ["50000"]]));
    const [instance] = of("tg", "gcp:compute/instance:Instance");
    expect(instance?.inputs.bootDisk).toMatchObject({
      initializeParams: { image: "https://compute.test/global/images/tg-talos-amd64" },
    });
    expect(of("tg", BOOTSTRAP)[0]?.inputs.address).toBe("203.0.113.50:50000");
  });

  it("keeps what the OS made per cluster: one talosOs serves two clusters", async () => {
    const { Cluster } = await import("@minos/core");
    const os = talosOs();
    const a = new Cluster("minos:test:Talos", "tw1", os, {
      platform: kvm({ cidr: "10.84.0.0/24" }),
    });
    const b = new Cluster("minos:test:Talos", "tw2", os, {
      platform: kvm({ cidr: "10.85.0.0/24" }),
    });
    const [sa, sb] = (await Promise.all([resolved(a.osSecrets), resolved(b.osSecrets)])) as {
      clusterId: string;
    }[];
    expect(sa?.clusterId).toBeDefined();
    expect(sa?.clusterId).not.toBe(sb?.clusterId);
    await new Promise((r) => setTimeout(r, 100));
    expect(of("tw1", BOOTSTRAP)).toHaveLength(1);
    expect(of("tw2", BOOTSTRAP)).toHaveLength(1);
    expect(a.osResources).not.toEqual(b.osResources);
  });

  it("leaves running nodes on their release with updates off", async () => {
    await talos("to", kvm({ cidr: "10.83.0.0/24" }), { osUpdates: { mode: "off" } });
    expect(of("to", BOOTSTRAP)).toHaveLength(1);
    expect(of("to", UPGRADE)).toEqual([]);
    // Config changes are the operator's own `pulumi up`: they still reach running nodes.
    expect(of("to", CONFIG)).toHaveLength(1);
    expect(dependencies("to-talos-config")).toContain(urn("to-etcd-bootstrap"));
  });

  it("refuses SSH keys and a Kubernetes Talos 1.13 does not run, before any resource exists", () => {
    const before = registered.length;
    expect(
      () => new TalosCluster("tx", { platform: kvm(), sshAuthorizedKeys: ["ssh-ed25519 AAAA x"] }),
    ).toThrow(/sshAuthorizedKeys.*Talos has no SSH/);
    expect(() => new TalosCluster("tx", { platform: kvm(), kubernetesVersion: "1.37.1" })).toThrow(
      /kubernetesVersion.*1\.31 to 1\.36/,
    );
    expect(registered.length).toBe(before);
  });
});

describe("EC2 user-data", () => {
  it("takes a Talos config as it is, and names the group when one is too big", () => {
    const os = talosOs();
    const delivery = os.delivery("aws");
    expect(delivery).toEqual({ kind: "user-data" });
    const node = (payload: string) => ({
      format: "talos" as const,
      payload,
      bytes: payload.length,
      limit: awsDescription.payloadLimit?.(delivery),
    });
    expect(fittingPayload("ta-control-plane", node("machine: {}\n")).payload).toBe("machine: {}\n");
    expect(() => fittingPayload("ta-worker-general", node("x".repeat(16_385)))).toThrow(
      /ta-worker-general first-boot payload: "16385 bytes"; at most 16384 bytes fit the EC2 user-data limit/,
    );
  });
});
