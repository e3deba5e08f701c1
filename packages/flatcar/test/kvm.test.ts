import { kvm, macFor } from "@minos/core/kvm";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { fileContents } from "../../../test/support/ignition-files.js";
import {
  type EngineRecording,
  installMocks,
  isSecretInput,
  mockStackHash,
  plain,
  type RegisteredResource,
  recordEngine,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import { FlatcarCluster, type FlatcarClusterArgs } from "../src/index.js";

let registered: RegisteredResource[];
let recording: EngineRecording;
const declared: { type: string; name: string; props: Record<string, unknown> }[] = [];
const capture: pulumi.ResourceTransformation = (args) => {
  declared.push({ type: args.type, name: args.name, props: args.props });
  return undefined;
};
beforeAll(() => {
  registered = installMocks();
  recording = recordEngine();
});

const T = (kind: string) => `pulumi-nodejs:dynamic/minos-libvirt:${kind}`;
/** libvirt names are unique per host: they end in the stack hash. */
const HASH = mockStackHash("lab");
const of = (cluster: string, kind: string) =>
  registered.filter((r) => r.type === T(kind) && r.name.startsWith(`${cluster}-`));

async function onKvm(name: string, args: Partial<FlatcarClusterArgs> = {}, platform = kvm()) {
  const cluster = new FlatcarCluster(
    name,
    {
      platform,
      nodePools: { general: { count: 2 }, big: { count: 1, machineType: "4cpu-8gb", diskGiB: 50 } },
      sysext: { hashes: { "kubernetes-v1.37.1-x86-64.raw": `sha256-${"c".repeat(64)}` } },
      ...args,
    },
    { transformations: [capture] },
  );
  await resolved(cluster.nodeConfigs);
  await new Promise((r) => setTimeout(r, 100));
  return cluster;
}

describe("FlatcarCluster on KVM", () => {
  let cluster: FlatcarCluster;
  beforeAll(async () => {
    cluster = await onKvm("lab");
  });

  it("reserves a fixed address, name and MAC for every node on its own NAT network", () => {
    const [net] = of("lab", "Network");
    expect(net?.inputs).toMatchObject({
      uri: "qemu:///system",
      name: `minos-lab-${HASH}`,
      cidr: "10.77.0.0/24",
    });
    expect(net?.inputs.hosts).toEqual([
      { name: "lab-control-plane-0", ip: "10.77.0.10", mac: macFor("lab-control-plane-0") },
      { name: "lab-worker-big-0", ip: "10.77.0.20", mac: macFor("lab-worker-big-0") },
      { name: "lab-worker-general-0", ip: "10.77.0.21", mac: macFor("lab-worker-general-0") },
      { name: "lab-worker-general-1", ip: "10.77.0.22", mac: macFor("lab-worker-general-1") },
    ]);
    expect(macFor("lab-control-plane-0")).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
  });

  it("uses the control-plane node's address as the endpoint, in kubeadm and the kubeconfig", async () => {
    expect(await resolved(cluster.endpoint)).toBe("https://10.77.0.10:6443");
    const configs = await resolved(cluster.nodeConfigs);
    const docs = parseAllDocuments(
      fileContents(configs["control-plane"] ?? "", "/etc/kubernetes/kubeadm.yaml"),
    ).map((d) => d.toJS());
    expect(docs[1].controlPlaneEndpoint).toBe("10.77.0.10:6443");
    expect(docs[1].apiServer.certSANs).toEqual(["10.77.0.10", "lab-control-plane-0"]);
    expect(await resolved(cluster.controlPlaneIps)).toEqual(["10.77.0.10"]);
  });

  it("downloads Flatcar's QEMU image once, verified against its DIGESTS, and overlays a disk per node", () => {
    const bases = of("lab", "BaseImage");
    expect(bases).toHaveLength(1);
    expect(bases[0]?.inputs).toMatchObject({
      url: "https://stable.release.flatcar-linux.net/amd64-usr/current/flatcar_production_qemu_image.img",
      digest: {
        algorithm: "sha512",
        url: "https://stable.release.flatcar-linux.net/amd64-usr/current/flatcar_production_qemu_image.img.DIGESTS",
      },
      format: "qcow2",
      pool: "default",
    });
    const disks = of("lab", "Disk").map((d) => [d.inputs.name, d.inputs.sizeGiB]);
    expect(disks).toEqual(
      expect.arrayContaining([
        [`lab-control-plane-0-${HASH}.qcow2`, 30],
        [`lab-worker-big-0-${HASH}.qcow2`, 50],
      ]),
    );
    expect(disks).toHaveLength(4);
  });

  it("delivers Ignition by fw_cfg under Flatcar's key, as a secret", async () => {
    const domains = of("lab", "Domain");
    expect(domains.map((d) => [d.name, d.inputs.name, d.inputs.vcpus, d.inputs.memoryMiB])).toEqual(
      expect.arrayContaining([
        ["lab-control-plane-0", `lab-control-plane-0-${HASH}`, 2, 4096],
        ["lab-worker-big-0", `lab-worker-big-0-${HASH}`, 4, 8192],
      ]),
    );
    const cp = domains.find((d) => d.name === "lab-control-plane-0");
    expect(cp?.inputs).toMatchObject({
      network: { name: `minos-lab-${HASH}`, mac: macFor("lab-control-plane-0") },
      firmware: "bios",
      autostart: true,
    });
    expect(isSecretInput(cp?.inputs.firstBoot)).toBe(true);
    const firstBoot = plain<{ kind: string; key: string; payload: string }>(cp?.inputs.firstBoot);
    expect(firstBoot).toMatchObject({
      kind: "fw_cfg",
      key: "opt/org.flatcar-linux/config",
      pool: "default",
    });
    expect(JSON.parse(firstBoot.payload).ignition.version).toBe("3.3.0");
    const declaredCp = declared.find(
      (d) => d.type === T("Domain") && d.name === "lab-control-plane-0",
    );
    expect(await pulumi.isSecret(pulumi.output(declaredCp?.props.firstBoot))).toBe(true);
  });

  it("keeps each VM through a new payload or a new name scheme: first boot ran once", () => {
    const domains = recording.graph.filter(
      (n) => n.type === T("Domain") && n.name.startsWith("lab-"),
    );
    expect(domains).toHaveLength(4);
    for (const d of domains) expect(d.ignoreChanges.sort(), d.name).toEqual(["firstBoot", "name"]);
    const disks = recording.graph.filter((n) => n.type === T("Disk") && n.name.startsWith("lab-"));
    for (const d of disks) expect(d.ignoreChanges, d.name).toEqual(["name"]);
  });

  it.each([
    ["three control-plane nodes", { controlPlane: { count: 3 } }, "controlPlane.count"],
    ["an autoscaled pool", { nodePools: { a: { count: 1, maxCount: 3 } } }, "nodePools.a.maxCount"],
    [
      "a machine type it cannot read",
      { nodePools: { a: { count: 1, machineType: "large" } } },
      "nodePools.a.machineType",
    ],
  ])("refuses %s before creating anything", (_, args, argument) => {
    const before = registered.length;
    expect(() => new FlatcarCluster("nope", { platform: kvm(), ...args })).toThrow(
      expect.objectContaining({ argument }),
    );
    expect(registered.length).toBe(before);
  });

  it("refuses a network too small for its workers", () => {
    expect(
      () =>
        new FlatcarCluster("tiny", {
          platform: kvm({ cidr: "10.9.0.0/26" }),
          nodePools: { a: { count: 20 } },
        }),
    ).toThrow(expect.objectContaining({ argument: "cidr" }));
  });

  it.each([
    [{ uri: "localhost" }, "uri"],
    [{ pool: "my pool" }, "pool"],
    [{ cidr: "10.0.0.0/8" }, "cidr"],
    [{ firmware: "coreboot" }, "firmware"],
    [{ defaultMachineType: "xl" }, "defaultMachineType"],
  ])("kvm() refuses %j", (args, argument) => {
    expect(() => kvm(args as never)).toThrow(expect.objectContaining({ argument }));
  });
});
