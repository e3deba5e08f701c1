import { apiReadinessProvider, kubernetesVersionGateProvider } from "@minos/core";
import {
  baseImageProvider,
  configDiskProvider,
  diskProvider,
  domainProvider,
  networkProvider,
} from "@minos/libvirt";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { streamImagesProvider } from "../packages/fcos/src/providers.js";
import {
  etcdBootstrapProvider,
  talosConfigApplyProvider,
  talosConfigHandoverProvider,
  talosUpgradeProvider,
} from "../packages/talos/src/providers.js";
import { collectorProvider } from "../packages/workload/src/collector/collector-provider.js";

/**
 * Every dynamic provider minos ships, with the inputs it is created from, the
 * outputs it records in state, and one property whose change must replace it.
 * Pulumi hands `diff` the old outputs and the new inputs, each with the
 * serialized provider under `__provider`.
 */
const PROVIDERS: {
  name: string;
  provider: Pick<Required<pulumi.dynamic.ResourceProvider>, "diff">;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  /** A property whose change replaces the object; none for an object that is only ever updated. */
  replacedBy?: [string, unknown];
}[] = [
  {
    name: "libvirt Network",
    provider: networkProvider,
    inputs: {
      uri: "qemu:///system",
      name: "minos-lab-1a2b3c4d",
      cidr: "10.77.0.0/24",
      hosts: [{ mac: "52:54:00:aa:bb:cc", ip: "10.77.0.10", name: "lab-control-plane-0" }],
    },
    outputs: { bridge: "virbr3" },
    replacedBy: ["cidr", "10.78.0.0/24"],
  },
  {
    name: "libvirt BaseImage",
    provider: baseImageProvider,
    inputs: {
      uri: "qemu:///system",
      pool: "default",
      url: "https://img.test/os.qcow2.xz",
      digest: { algorithm: "sha256", value: "ab".repeat(32) },
      format: "qcow2",
      compression: "xz",
    },
    outputs: { volume: "minos-base-x", path: "/var/lib/libvirt/images/x", verified: "sha256:ab" },
    replacedBy: ["url", "https://img.test/other.qcow2.xz"],
  },
  {
    name: "libvirt Disk",
    provider: diskProvider,
    inputs: {
      uri: "qemu:///system",
      pool: "default",
      name: "lab-control-plane-0-1a2b3c4d.qcow2",
      basePath: "/var/lib/libvirt/images/x",
      baseFormat: "qcow2",
      sizeGiB: 30,
    },
    outputs: { path: "/var/lib/libvirt/images/lab-control-plane-0-1a2b3c4d.qcow2" },
    replacedBy: ["sizeGiB", 20],
  },
  {
    name: "libvirt ConfigDisk",
    provider: configDiskProvider,
    inputs: {
      uri: "qemu:///system",
      pool: "default",
      name: "lab-control-plane-0-1a2b3c4d-seed.iso",
      userData: "#cloud-config\n",
      metaData: "instance-id: lab-control-plane-0\n",
    },
    outputs: { path: "/var/lib/libvirt/images/seed.iso" },
    replacedBy: ["metaData", "instance-id: other\n"],
  },
  {
    name: "libvirt Domain",
    provider: domainProvider,
    inputs: {
      uri: "qemu:///system",
      name: "lab-control-plane-0-1a2b3c4d",
      virtType: "auto",
      arch: "x86_64",
      vcpus: 2,
      memoryMiB: 4096,
      firmware: "bios",
      disks: [{ pool: "default", volume: "lab-control-plane-0.qcow2", format: "qcow2" }],
      network: { name: "minos-lab-1a2b3c4d", mac: "52:54:00:aa:bb:cc" },
      firstBoot: { kind: "fw_cfg", key: "opt/com.coreos/config", pool: "default", payload: "{}" },
      autostart: true,
    },
    outputs: { virtType: "kvm", state: "running" },
    replacedBy: ["firmware", "uefi"],
  },
  {
    name: "FCOS StreamImages",
    provider: streamImagesProvider as Pick<Required<pulumi.dynamic.ResourceProvider>, "diff">,
    inputs: { stream: "stable", arch: "amd64", timeoutSeconds: 60 },
    outputs: {
      release: "43.20261102.3.0",
      aws: { "us-east-1": "ami-0f1a7ca70000000a1" },
      gcp: { project: "fedora-coreos-cloud", family: "fedora-coreos-stable", name: "x" },
      qemu: { url: "https://img.test/fcos.qcow2.xz", sha256: "cd".repeat(32) },
    },
    replacedBy: ["stream", "next"],
  },
  {
    name: "Talos EtcdBootstrap",
    provider: etcdBootstrapProvider as Pick<Required<pulumi.dynamic.ResourceProvider>, "diff">,
    inputs: {
      clusterId: "c2VjcmV0LWNsdXN0ZXItaWQ=",
      address: "203.0.113.50:50000",
      caPem: "ca",
      clientCertPem: "cert",
      clientKeyPem: "key",
      timeoutSeconds: 1800,
    },
    outputs: { outcome: "bootstrapped", attempts: 3 },
    replacedBy: ["clusterId", "b3RoZXItY2x1c3Rlci1pZA=="],
  },
  {
    name: "Talos TalosUpgrade",
    provider: talosUpgradeProvider as Pick<Required<pulumi.dynamic.ResourceProvider>, "diff">,
    inputs: {
      address: "api.lab.test:50000",
      caPem: "CA",
      clientCertPem: "CERT",
      clientKeyPem: "KEY",
      nodes: ["10.0.1.10", "10.0.1.11"],
      talosVersion: "1.13.9",
      image: "factory.talos.dev/aws-installer/abc:v1.13.9",
      timeoutSeconds: 1800,
    },
    outputs: { upgraded: [] },
  },
  {
    name: "Talos TalosConfigApply",
    provider: talosConfigApplyProvider as Pick<Required<pulumi.dynamic.ResourceProvider>, "diff">,
    inputs: {
      address: "api.lab.test:50000",
      caPem: "CA",
      clientCertPem: "CERT",
      clientKeyPem: "KEY",
      groups: [
        { name: "control-plane", nodes: ["10.0.1.10"] },
        { name: "worker/general", nodes: [] },
      ],
      configs: { "control-plane": "version: v1alpha1\n", "worker/general": "version: v1alpha1\n" },
      kubernetesVersion: "1.36.3",
      timeoutSeconds: 1800,
    },
    outputs: { applied: [] },
  },
  {
    name: "Talos TalosConfigHandover",
    provider: talosConfigHandoverProvider as Pick<
      Required<pulumi.dynamic.ResourceProvider>,
      "diff"
    >,
    inputs: {
      address: "api.lab.test:50000",
      config: "version: v1alpha1\n",
      machines: ["i-0aaa", "i-0bbb", "i-0ccc"],
      timeoutSeconds: 1800,
    },
    outputs: { handedOver: 3 },
  },
  {
    name: "core ApiReadiness",
    provider: apiReadinessProvider as Pick<Required<pulumi.dynamic.ResourceProvider>, "diff">,
    inputs: {
      endpoint: "https://203.0.113.50:6443",
      caCertPem: "ca",
      clientCertPem: "cert",
      clientKeyPem: "key",
      timeoutSeconds: 1200,
      intervalSeconds: 10,
      waitFor: "nodes",
      expectedNodes: 3,
    },
    outputs: { readySeconds: 90.5, attempts: 10, nodesReadySeconds: 150.1, nodes: [] },
    replacedBy: ["expectedNodes", 4],
  },
  {
    name: "core KubernetesVersionGate",
    provider: kubernetesVersionGateProvider as Pick<
      Required<pulumi.dynamic.ResourceProvider>,
      "diff"
    >,
    inputs: {
      endpoint: "https://203.0.113.50:6443",
      caCertPem: "ca",
      clientCertPem: "cert",
      clientKeyPem: "key",
      version: "1.37.1",
      upgradeHint: "Run kubeadm upgrade",
      timeoutSeconds: 1200,
      intervalSeconds: 10,
    },
    outputs: { reported: "v1.37.1", waitedSeconds: 0 },
  },
  {
    name: "workload ProbeCollector",
    provider: collectorProvider as Pick<Required<pulumi.dynamic.ResourceProvider>, "diff">,
    inputs: {
      endpoint: "https://203.0.113.50:6443",
      caCertPem: "ca",
      clientCertPem: "cert",
      clientKeyPem: "key",
      cluster: "flatcar",
      runId: "1",
      plan: { namespace: "minos-probes", jobs: [], pods: 10, nodes: 2 },
      intervalSeconds: 2,
    },
    outputs: { startedAt: "2026-12-07T01:00:00Z", seconds: 412.5, results: [], posture: [] },
    replacedBy: ["runId", "2"],
  },
];

/** What two releases of minos, or of the Pulumi SDK, serialize for the same provider. */
const OLD_SHIM = 'exports.handler = __f0;\nfunction __f0() { return require("x").providers.a; }';
const NEW_SHIM = `${OLD_SHIM}\n// serialized by a newer SDK`;

describe("dynamic provider diffs", () => {
  it.each(PROVIDERS)("$name: a new serialized provider is no change", async (p) => {
    const olds = { ...p.inputs, ...p.outputs, __provider: OLD_SHIM };
    const news = { ...p.inputs, __provider: NEW_SHIM };
    expect(await p.provider.diff("id", olds, news)).toMatchObject({
      changes: false,
      replaces: [],
    });
  });

  it.each(PROVIDERS.filter((p) => p.replacedBy))(
    "$name: a defining property still replaces it",
    async (p) => {
      const [key, value] = p.replacedBy ?? ["", undefined];
      const olds = { ...p.inputs, ...p.outputs, __provider: OLD_SHIM };
      const news = { ...p.inputs, [key]: value, __provider: NEW_SHIM };
      expect(await p.provider.diff("id", olds, news)).toMatchObject({
        changes: true,
        replaces: [key],
      });
    },
  );

  it("Talos TalosUpgrade: a new release is a change in place, never a replacement", async () => {
    const upgrade = PROVIDERS.find((p) => p.name === "Talos TalosUpgrade");
    const olds = { ...upgrade?.inputs, __provider: OLD_SHIM };
    const news = { ...upgrade?.inputs, talosVersion: "1.13.10", __provider: NEW_SHIM };
    expect(await upgrade?.provider.diff("id", olds, news)).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("Talos TalosConfigApply: a new config is a change in place, never a replacement", async () => {
    const apply = PROVIDERS.find((p) => p.name === "Talos TalosConfigApply");
    const olds = { ...apply?.inputs, __provider: OLD_SHIM };
    const news = {
      ...apply?.inputs,
      configs: { "control-plane": "version: v1alpha1\ndebug: true\n" },
      __provider: NEW_SHIM,
    };
    expect(await apply?.provider.diff("id", olds, news)).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("core KubernetesVersionGate: a new release is a change in place, never a replacement", async () => {
    const gate = PROVIDERS.find((p) => p.name === "core KubernetesVersionGate");
    const olds = { ...gate?.inputs, ...gate?.outputs, __provider: OLD_SHIM };
    const news = { ...gate?.inputs, version: "1.37.2", __provider: NEW_SHIM };
    expect(await gate?.provider.diff("id", olds, news)).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  it("libvirt Domain: reordered keys and an absent optional are no change", async () => {
    const domain = PROVIDERS.find((p) => p.name === "libvirt Domain")?.inputs ?? {};
    const reordered = Object.fromEntries(Object.entries(domain).reverse());
    const olds = { ...domain, serialLog: undefined, __provider: OLD_SHIM };
    expect(await domainProvider.diff("id", olds as never, reordered as never)).toMatchObject({
      changes: false,
    });
  });
});
