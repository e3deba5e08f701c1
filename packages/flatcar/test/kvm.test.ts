import { kvm, macFor } from "@minos/kvm";
import type { DomainInputs, DomainSpec } from "@minos/libvirt";
import { domainXml } from "@minos/libvirt";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { fileContents } from "../../../test/support/ignition-files.js";
import { canValidateXml, validateLibvirtXml } from "../../../test/support/libvirt-schemas.js";
import type { EngineRecording, RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import {
  installMocks,
  isSecretInput,
  mockStackHash,
  plain,
  recordEngine,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import type { FlatcarClusterArgs } from "../src/index.js";
import { FlatcarCluster, flatcarOs } from "../src/index.js";

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
    // Workers roll, old and new side by side: they take DHCP leases instead.
    expect(net?.inputs.hosts).toEqual([
      { name: "lab-control-plane-0", ip: "10.77.0.10", mac: macFor("lab-control-plane-0") },
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

  describe("with three control-plane nodes", () => {
    let ha: FlatcarCluster;
    beforeAll(async () => {
      ha = await onKvm(
        "ha",
        { controlPlane: { count: 3 }, nodePools: { general: { count: 1 } } },
        kvm({ cidr: "10.73.0.0/24" }),
      );
    });

    it("reserves the API's virtual address in the network, below DHCP, and makes three control-plane domains", () => {
      const [net] = of("ha", "Network");
      expect(net?.inputs.addresses).toEqual([{ ip: "10.73.0.5", name: "ha-api" }]);
      expect(
        ((net?.inputs.hosts ?? []) as { name: string; ip: string }[]).map((h) => [h.name, h.ip]),
      ).toEqual([
        ["ha-control-plane-0", "10.73.0.10"],
        ["ha-control-plane-1", "10.73.0.11"],
        ["ha-control-plane-2", "10.73.0.12"],
      ]);
      expect(
        of("ha", "Domain")
          .map((d) => d.name)
          .filter((n) => n.includes("control-plane"))
          .sort(),
      ).toEqual(["ha-control-plane-0", "ha-control-plane-1", "ha-control-plane-2"]);
    });

    it("points kubeadm, the certificate and the kubeconfig at the virtual address", async () => {
      expect(await resolved(ha.endpoint)).toBe("https://10.73.0.5:6443");
      const configs = await resolved(ha.nodeConfigs);
      for (const role of ["control-plane", "control-plane-join"]) {
        const docs = parseAllDocuments(
          fileContents(configs[role] ?? "", "/etc/kubernetes/kubeadm.yaml"),
        ).map((d) => d.toJS());
        const cluster = docs.find((d) => d.kind === "ClusterConfiguration");
        if (cluster) {
          expect(cluster.controlPlaneEndpoint).toBe("10.73.0.5:6443");
          expect(cluster.apiServer.certSANs).toEqual(
            expect.arrayContaining([
              "10.73.0.5",
              "ha-api",
              "ha-control-plane-0",
              "ha-control-plane-2",
            ]),
          );
        } else {
          const join = docs.find((d) => d.kind === "JoinConfiguration");
          expect(join.discovery.bootstrapToken.apiServerEndpoint).toBe("10.73.0.5:6443");
        }
      }
      expect(await resolved(ha.controlPlaneIps)).toEqual([
        "10.73.0.10",
        "10.73.0.11",
        "10.73.0.12",
      ]);
    });

    it("runs kube-vip on the first node during kubeadm init with super-admin.conf, and on every control-plane node with admin.conf after", async () => {
      const configs = await resolved(ha.nodeConfigs);
      const init = configs["control-plane"] ?? "";
      const join = configs["control-plane-join"] ?? "";
      const during = parseAllDocuments(
        fileContents(init, "/etc/kubernetes/manifests/kube-vip.yaml"),
      )[0]?.toJS();
      expect(during.spec.volumes[0].hostPath).toEqual({
        path: "/etc/kubernetes/super-admin.conf",
        type: "File",
      });
      const env = Object.fromEntries(
        during.spec.containers[0].env.map((e: { name: string; value?: string }) => [
          e.name,
          e.value ?? "fieldRef",
        ]),
      );
      expect(env).toMatchObject({
        address: "10.73.0.5",
        port: "6443",
        vip_arp: "true",
        cp_enable: "true",
        vip_leaderelection: "true",
        vip_nodename: "fieldRef",
      });
      for (const config of [init, join]) {
        const after = parseAllDocuments(
          fileContents(config, "/etc/minos/kube-vip.yaml"),
        )[0]?.toJS();
        expect(after.spec.volumes[0].hostPath.path).toBe("/etc/kubernetes/admin.conf");
        const unit = JSON.parse(config).systemd.units.find(
          (u: { name: string }) => u.name === "kubeadm.service",
        ).contents as string;
        expect(unit).toContain(
          "ExecStartPost=/usr/bin/install -m 0600 /etc/minos/kube-vip.yaml /etc/kubernetes/manifests/kube-vip.yaml",
        );
      }
      // A joining node's manifests folder stays empty until kubeadm join is done (its preflight wants it so).
      expect(() => fileContents(join, "/etc/kubernetes/manifests/kube-vip.yaml")).toThrow();
      const worker = configs["worker/general"] ?? "";
      expect(worker).not.toContain("kube-vip");
    });
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
        [expect.stringMatching(new RegExp(`^lab-worker-big-0-[0-9a-f]{6}-${HASH}\\.qcow2$`)), 50],
      ]),
    );
    expect(disks).toHaveLength(4);
  });

  it("delivers Ignition by fw_cfg under Flatcar's key, as a secret", async () => {
    const domains = of("lab", "Domain");
    expect(domains.map((d) => [d.name, d.inputs.name, d.inputs.vcpus, d.inputs.memoryMiB])).toEqual(
      expect.arrayContaining([
        ["lab-control-plane-0", `lab-control-plane-0-${HASH}`, 2, 4096],
        [
          "lab-worker-big-0",
          expect.stringMatching(new RegExp(`^lab-worker-big-0-[0-9a-f]{6}-${HASH}$`)),
          4,
          8192,
        ],
      ]),
    );
    const cp = domains.find((d) => d.name === "lab-control-plane-0");
    expect(cp?.inputs).toMatchObject({
      network: { name: `minos-lab-${HASH}`, mac: macFor("lab-control-plane-0") },
      arch: "x86_64",
      firmware: "bios",
      autostart: true,
    });
    expect(cp?.inputs.uefiFirmware).toBeUndefined();
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

  it("keeps each control-plane VM through a new payload or a new name scheme: first boot ran once", () => {
    const nodes = (type: string, role: string) =>
      recording.graph.filter((n) => n.type === T(type) && n.name.startsWith(`lab-${role}`));
    expect(nodes("Domain", "control-plane")).toHaveLength(1);
    for (const d of nodes("Domain", "control-plane"))
      expect(d.ignoreChanges.sort(), d.name).toEqual(["firstBoot", "name"]);
    for (const d of nodes("Disk", "control-plane"))
      expect(d.ignoreChanges.sort(), d.name).toEqual(["baseFormat", "basePath", "name"]);
  });

  it("rolls workers: each machine named by its generation, booted one after another, named and addressed without a reservation", () => {
    const workers = of("lab", "Domain").filter((d) => d.name.includes("worker-general"));
    expect(workers.map((d) => d.name)).toEqual(["lab-worker-general-0", "lab-worker-general-1"]);
    const generations = new Set<string>();
    for (const w of workers) {
      const inputs = plain<{
        name: string;
        hostname: string;
        waitForAddress: number;
        network: { mac: string };
      }>(w.inputs);
      const generation =
        new RegExp(`^${w.name}-([0-9a-f]{6})-${HASH}$`).exec(inputs.name)?.[1] ?? "";
      generations.add(generation);
      expect(inputs.hostname).toBe(`${w.name}-${generation}`);
      expect(inputs.network.mac).toBe(macFor(inputs.hostname));
      expect(inputs.waitForAddress).toBe(600);
    }
    // One pool, one template: one generation, and the second machine waits for the first.
    expect(generations.size).toBe(1);
    const graph = (name: string) =>
      recording.graph.find((n) => n.type === T("Domain") && n.name === name);
    expect(graph("lab-worker-general-1")?.dependencies).toContain(
      graph("lab-worker-general-0")?.urn,
    );
    // Nothing of a worker keeps its first value: a new generation is a new machine.
    expect(graph("lab-worker-general-0")?.ignoreChanges).toEqual([]);
    // Flatcar updates itself: its workers keep the image their pool was made with.
    const disk = recording.graph.find(
      (n) => n.type === T("Disk") && n.name === "lab-worker-general-0",
    );
    expect(disk?.ignoreChanges.sort()).toEqual(["baseFormat", "basePath"]);
  });

  it.each([
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

  it("makes a NodeGroup's machines too, on the cluster's network with DHCP addresses", async () => {
    const { NodeGroup } = await import("@minos/core");
    const group = new NodeGroup("minos:test:Pools", "more", flatcarOs(), {
      cluster,
      nodePools: { extra: { count: 3 } },
    });
    await resolved(group.nodeConfigs);
    await new Promise((r) => setTimeout(r, 100));
    const domains = of("more", "Domain");
    expect(domains.map((d) => d.name).sort()).toEqual([
      "more-extra-0",
      "more-extra-1",
      "more-extra-2",
    ]);
    const network = plain<{ name: string }>(of("lab", "Network")[0]?.inputs ?? {}).name;
    for (const d of domains) {
      const inputs = plain<{ hostname: string; network: { name: string; mac: string } }>(d.inputs);
      expect(inputs.hostname).toMatch(new RegExp(`^${d.name}-[0-9a-f]{6}$`));
      expect(inputs.network).toEqual({ name: network, mac: macFor(inputs.hostname) });
    }
    // Not among the network's fixed hosts: they take addresses from its DHCP range.
    const hosts = plain<{ hosts: { name: string }[] }>(of("lab", "Network")[0]?.inputs ?? {}).hosts;
    expect(hosts.map((h) => h.name)).not.toContain("more-extra-0");
  });

  it.each([
    [{ controlPlane: { count: 2 } }, "controlPlane.count"],
    [{ controlPlane: { machineType: "huge" } }, "controlPlane.machineType"],
    [{ nodePools: { a: { count: 1, maxCount: 3 } } }, "nodePools.a.maxCount"],
    [{ podCidr: "10.77.0.0/16" }, "podCidr"],
    [{ serviceCidr: "10.77.0.0/24" }, "serviceCidr"],
  ])("refuses %j before any resource exists", (args, argument) => {
    const before = registered.length;
    expect(() => new FlatcarCluster("late", { platform: kvm(), ...(args as object) })).toThrow(
      expect.objectContaining({ argument: expect.stringContaining(argument) }),
    );
    expect(registered.length).toBe(before);
  });

  it("refuses a pod network over the AWS VPC before any resource exists", async () => {
    const { aws } = await import("@minos/aws");
    const before = registered.length;
    expect(
      () => new FlatcarCluster("latevpc", { platform: aws(), podCidr: "10.0.0.0/16" }),
    ).toThrow(/podCidr.*must not overlap the platform's node network/);
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
    [
      { uefiFirmware: { arm64: { code: "AAVMF_CODE.fd", varsTemplate: "/x" } } },
      "uefiFirmware.arm64.code",
    ],
    [
      { uefiFirmware: { arm64: { code: "/x", varsTemplate: "/my firmware/VARS.fd" } } },
      "uefiFirmware.arm64.varsTemplate",
    ],
    [{ uefiFirmware: { amd64: { code: "/x" } } }, "uefiFirmware.amd64.varsTemplate"],
    [{ uefiFirmware: "/usr/share/AAVMF" }, "uefiFirmware"],
    [{ uri: "localhost" }, "uri"],
    [{ pool: "my pool" }, "pool"],
    [{ cidr: "10.0.0.0/8" }, "cidr"],
    [{ firmware: "coreboot" }, "firmware"],
    [{ defaultMachineType: "xl" }, "defaultMachineType"],
  ])("kvm() refuses %j", (args, argument) => {
    expect(() => kvm(args as never)).toThrow(expect.objectContaining({ argument }));
  });
});

/** The domain libvirt would be given for a planned Domain resource (emulated, as on an x86_64 host). */
function plannedDomain(d: RegisteredResource): DomainSpec {
  const { uri: _, autostart: __, firstBoot, ...spec } = d.inputs as unknown as DomainInputs;
  const fwCfg = plain<{ key: string }>(firstBoot);
  return {
    ...spec,
    virtType: "qemu",
    firstBoot: {
      kind: "fw_cfg",
      key: fwCfg.key,
      path: `/var/lib/libvirt/images/${d.name}.firstboot`,
    },
  };
}

describe("FlatcarCluster on KVM, arm64", () => {
  beforeAll(async () => {
    await onKvm(
      "arm",
      {
        arch: "arm64",
        sysext: { hashes: { "kubernetes-v1.37.1-arm64.raw": `sha256-${"d".repeat(64)}` } },
        nodePools: { general: { count: 1 } },
      },
      // Beside "lab" on one host: a network of its own.
      kvm({ cidr: "10.79.0.0/24" }),
    );
    await onKvm(
      "armfw",
      { arch: "arm64", nodePools: {}, sysext: { hashes: {} } },
      kvm({
        cidr: "10.71.0.0/24",
        uefiFirmware: {
          arm64: { code: "/opt/edk2/QEMU_EFI-pflash.raw", varsTemplate: "/opt/edk2/vars.raw" },
        },
      }),
    );
  });

  it("downloads the UEFI image, the only QEMU image Flatcar publishes for arm64", () => {
    const [base] = of("arm", "BaseImage");
    const url =
      "https://stable.release.flatcar-linux.net/arm64-usr/current/flatcar_production_qemu_uefi_image.img";
    expect(base?.inputs).toMatchObject({
      url,
      digest: { algorithm: "sha512", url: `${url}.DIGESTS` },
      format: "qcow2",
    });
  });

  it("boots aarch64 domains with UEFI: the host's AAVMF as pflash and an NVRAM template", () => {
    const domains = of("arm", "Domain");
    expect(domains.map((d) => d.name).sort()).toEqual([
      "arm-control-plane-0",
      "arm-worker-general-0",
    ]);
    for (const d of domains)
      expect(d.inputs).toMatchObject({
        arch: "aarch64",
        firmware: "uefi",
        uefiFirmware: {
          code: "/usr/share/AAVMF/AAVMF_CODE.fd",
          varsTemplate: "/usr/share/AAVMF/AAVMF_VARS.fd",
        },
      });
    const [custom] = of("armfw", "Domain");
    expect(custom?.inputs.uefiFirmware).toEqual({
      code: "/opt/edk2/QEMU_EFI-pflash.raw",
      varsTemplate: "/opt/edk2/vars.raw",
    });
  });

  it.skipIf(!canValidateXml())("plans domains libvirt's own schema accepts", () => {
    for (const d of [...of("arm", "Domain"), ...of("armfw", "Domain")]) {
      const xml = domainXml(plannedDomain(d));
      expect(xml).toContain('<type arch="aarch64" machine="virt">hvm</type>');
      expect(xml).toMatch(/<loader readonly="yes" type="pflash">\/[^<]+<\/loader>/);
      expect(validateLibvirtXml("domain", xml)).toEqual({
        code: 0,
        output: expect.stringContaining("validates"),
      });
    }
  });
});
