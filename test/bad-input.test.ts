import { createRequire } from "node:module";
import { aws, eksCluster } from "@minos/aws";
import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { render } from "@minos/cli";
import type { Cluster } from "@minos/core";
import { NodeGroup } from "@minos/core";
import { FcosCluster } from "@minos/fcos";
import { FlatcarCluster, flatcarOs } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import { TalosCluster } from "@minos/talos";
import { beforeAll, describe, expect, it } from "vitest";
import { EKS_FACTS as EKS } from "./support/eks.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { installMocks } from "./support/pulumi-mocks.js";

let registered: RegisteredResource[];
beforeAll(async () => {
  registered = installMocks();
  // What some cases join or sit beside, first on the KVM host.
  for (const make of [kvmDefault, awsCluster, gcpCluster, kvmCluster, talosOnAws]) make();
  await settle();
});

/**
 * Every resource and component the program starts to register, counted the
 * moment its constructor calls the SDK: the mocks hear of it only later,
 * once its inputs resolve, so their list alone would miss a component made
 * just before the error.
 */
const started: string[] = [];
const sdk = createRequire(import.meta.url)("@pulumi/pulumi/runtime/resource.js") as {
  registerResource: (res: unknown, parent: unknown, type: string, name: string) => void;
};
const registerResource = sdk.registerResource;
/** Waits until every registration the program started has reached the mocks. */
const settle = createRequire(import.meta.url)("@pulumi/pulumi/runtime/settings.js")
  .waitForRPCs as () => Promise<void>;
sdk.registerResource = (...args: Parameters<typeof registerResource>) => {
  started.push(`${args[2]} ${args[3]}`);
  return registerResource(...args);
};

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMinosTestKey test@minos";
const REGION = { region: "europe-west1" };
const HEX64 = "0".repeat(64);

/** Clusters some cases join or sit beside, made once before any case. */
function shared(make: () => Cluster): () => Cluster {
  let cluster: Cluster | undefined;
  return () => {
    cluster ??= make();
    return cluster;
  };
}
const kvmDefault = shared(() => new FlatcarCluster("first", { platform: kvm() }));
const awsCluster = shared(() => new FlatcarCluster("on-aws", { platform: aws() }));
const gcpCluster = shared(() => new FlatcarCluster("on-gcp", { platform: gcp(REGION) }));
const kvmCluster = shared(
  () => new FlatcarCluster("on-kvm", { platform: kvm({ cidr: "10.91.0.0/24" }) }),
);
const talosOnAws = shared(() => new TalosCluster("talos-aws", { platform: aws() }));

const joinEks =
  (options: Record<string, unknown>, source: unknown = EKS) =>
  () =>
    eksCluster(source as never, { kubernetesVersion: "1.35.2", ...options } as never);
const onEks = (args: Record<string, unknown>) => () =>
  new BottlerocketNodeGroup("rocket", {
    cluster: joinEks({})(),
    nodePools: { a: { count: 1 } },
    ...args,
  } as never);
const onMinos = (args: Record<string, unknown>) => () =>
  new BottlerocketNodeGroup("rocket", {
    cluster: awsCluster(),
    nodePools: { a: { count: 1 } },
    ...args,
  } as never);
const flatcar = (args: Record<string, unknown>) => () =>
  new FlatcarCluster("a", { platform: kvm(), ...args } as never);
const pool = (p: Record<string, unknown>) => flatcar({ nodePools: { a: { count: 1, ...p } } });
const nodeGroup = (args: Record<string, unknown>) => () =>
  new NodeGroup("test:index:NodeGroup", "group", flatcarOs(), {
    cluster: kvmCluster(),
    nodePools: { a: { count: 1 } },
    ...args,
  } as never);
const cli =
  (...argv: string[]) =>
  () =>
    render(argv);
const CLI = ["flatcar", "--role", "worker", "--platform", "kvm"];

/**
 * One bad input: what it is, how it is made, the argument the error must
 * name, and what the error must say is allowed.
 */
type Case = [string, () => unknown, string, RegExp];

/** Bad input that used to be accepted silently or refused only after resources existed. */
const CASES: Case[] = [
  // The cluster's own arguments.
  ["a typo at the top", flatcar({ nodepools: {} }), "nodepools", /did you mean nodePools/],
  ["no platform", () => new FlatcarCluster("a", {} as never), "platform", /aws\(.*kvm\(/],
  [
    "a platform the OS has no images for",
    flatcar({ platform: { name: "azure", site() {}, joinSite() {} } }),
    "platform",
    /flatcar runs on aws, gcp, kvm/,
  ],
  ["an uppercase name", () => new FlatcarCluster("Dev", { platform: kvm() }), "name", /lowercase/],
  [
    "a second cluster of a name the program already used, on another OS",
    () => new TalosCluster("on-aws", { platform: aws() }),
    "name",
    /already has a cluster of that name \(a minos:flatcar:FlatcarCluster\)/,
  ],
  [
    "a name too long for derived cloud names",
    () => new FlatcarCluster("a".repeat(40), { platform: kvm() }),
    "name",
    /1-\d+ characters/,
  ],
  ["an S3-reserved name", () => new FlatcarCluster("xn--a", { platform: aws() }), "name", /xn--/],
  [
    "a name Cloud Storage reserves, on GCP",
    () => new FlatcarCluster("my-google-lab", { platform: gcp(REGION) }),
    "name",
    /may not begin with goog or contain google/,
  ],
  [
    "a GCP-reserved name",
    () => new FlatcarCluster("google", { platform: gcp(REGION) }),
    "name",
    /goog/,
  ],
  [
    "a v-prefixed version",
    flatcar({ kubernetesVersion: "v1.35.2" }),
    "kubernetesVersion",
    /no "v"/,
  ],
  [
    "a version out of range",
    flatcar({ kubernetesVersion: "1.20.0" }),
    "kubernetesVersion",
    /1\.31/,
  ],
  ["an unknown arch", flatcar({ arch: "x86_64" }), "arch", /amd64 or arm64/],
  ["a pod CIDR with host bits", flatcar({ podCidr: "10.244.0.1/16" }), "podCidr", /no host bits/],
  ["a tiny pod CIDR", flatcar({ podCidr: "10.244.0.0/30" }), "podCidr", /\/8 to \/24/],
  ["a pod CIDR that is no CIDR", flatcar({ podCidr: "10.244.0.0" }), "podCidr", /IPv4 network/],
  [
    "overlapping pod and service networks",
    flatcar({ serviceCidr: "10.244.0.0/16" }),
    "serviceCidr",
    /must not overlap podCidr/,
  ],
  [
    "a pod network over the platform's node network",
    flatcar({ podCidr: "10.77.0.0/16" }),
    "podCidr",
    /must not overlap .*node network/,
  ],
  [
    "a service network over an existing VPC",
    () =>
      new FlatcarCluster("a", {
        platform: aws({
          network: {
            vpcId: "vpc-0123456789abcdef0",
            subnetIds: ["subnet-0123456789abcdef0"],
            cidr: "10.96.0.0/16",
          },
        }),
      }),
    "serviceCidr",
    /must not overlap .*node network/,
  ],
  [
    "AWS volumes without the cloud controller",
    () =>
      new FlatcarCluster("a", {
        platform: aws(),
        platformServices: { controller: false, volumes: true },
      }),
    "platformServices.volumes",
    /needs platformServices\.controller/,
  ],
  [
    "AWS load balancers without the cloud controller",
    () =>
      new FlatcarCluster("a", {
        platform: aws(),
        platformServices: { controller: false, loadBalancers: true },
      }),
    "platformServices.loadBalancers",
    /needs platformServices\.controller/,
  ],
  [
    "an SSH key that is no key",
    flatcar({ sshAuthorizedKeys: ["hunter2"] }),
    "sshAuthorizedKeys[0]",
    /OpenSSH public key/,
  ],
  [
    "SSH keys as one string",
    flatcar({ sshAuthorizedKeys: KEY }),
    "sshAuthorizedKeys",
    /list of OpenSSH/,
  ],
  [
    "an even control plane",
    flatcar({ controlPlane: { count: 2 } }),
    "controlPlane.count",
    /1, 3, 5, 7/,
  ],
  [
    "a typo in the control plane",
    flatcar({ controlPlane: { cont: 1 } }),
    "controlPlane.cont",
    /did you mean count/,
  ],
  ["a tiny disk", flatcar({ controlPlane: { diskGiB: 5 } }), "controlPlane.diskGiB", /10 to 16384/],
  [
    "an empty machine type",
    flatcar({ controlPlane: { machineType: " " } }),
    "controlPlane.machineType",
    /machine type name/,
  ],
  [
    "a taint effect Kubernetes lacks",
    flatcar({ controlPlane: { taints: [{ key: "a", effect: "NoRun" }] } }),
    "controlPlane.taints[0].effect",
    /NoSchedule, PreferNoSchedule, NoExecute/,
  ],
  [
    "a node-role label a kubelet may not set",
    flatcar({ controlPlane: { labels: { "node-role.kubernetes.io/x": "" } } }),
    "controlPlane.labels key",
    /node\.kubernetes\.io/,
  ],
  [
    "schedulable as text",
    flatcar({ controlPlane: { schedulable: "yes" } }),
    "controlPlane.schedulable",
    /true or false/,
  ],
  [
    "a pool name with capitals",
    flatcar({ nodePools: { GPU: { count: 1 } } }),
    "nodePools key",
    /lowercase/,
  ],
  [
    "a pool named like the control plane",
    flatcar({ nodePools: { "control-plane": { count: 1 } } }),
    "nodePools key",
    /control plane's/,
  ],
  ["pools as a list", flatcar({ nodePools: [{ count: 1 }] }), "nodePools", /object of pool name/],
  ["a pool that is null", flatcar({ nodePools: { a: null } }), "nodePools.a", /count/],
  ["a negative count", pool({ count: -1 }), "nodePools.a.count", /0 to 5000/],
  ["a fractional count", pool({ count: 1.5 }), "nodePools.a.count", /whole number/],
  ["minCount above count", pool({ minCount: 2 }), "nodePools.a", /minCount <= count <= maxCount/],
  ["spot as text", pool({ spot: "yes" }), "nodePools.a.spot", /true or false/],
  ["a typo in a pool", pool({ labls: {} }), "nodePools.a.labls", /did you mean labels/],
  [
    "a label value too long",
    pool({ labels: { a: "x".repeat(64) } }),
    "nodePools.a.labels.a",
    /up to 63/,
  ],
  [
    "a kubelet flag with dashes",
    pool({ kubeletExtraArgs: { "--max-pods": "10" } }),
    "nodePools.a.kubeletExtraArgs key",
    /without leading dashes/,
  ],
  [
    "a kubelet value over lines",
    pool({ kubeletExtraArgs: { "max-pods": "1\n2" } }),
    "nodePools.a.kubeletExtraArgs.max-pods",
    /single-line/,
  ],
  ["taints as an object", pool({ taints: { a: "b" } }), "nodePools.a.taints", /list of \{ key/],
  [
    "a misspelt taint effect key",
    pool({ taints: [{ key: "a", efect: "NoSchedule" }] }),
    "nodePools.a.taints[0].efect",
    /did you mean effect\?/,
  ],
  [
    "a rollout as a number",
    pool({ rollout: 2 }),
    "nodePools.a.rollout",
    /maxSurge\?, maxUnavailable\?/,
  ],
  [
    "a typo in a rollout",
    pool({ rollout: { maxSurg: 1 } }),
    "nodePools.a.rollout.maxSurg",
    /did you mean maxSurge/,
  ],
  [
    "a negative surge",
    pool({ rollout: { maxSurge: -1 } }),
    "nodePools.a.rollout.maxSurge",
    /number of machines from 0 to 5000/,
  ],
  [
    "a share of the pool above all of it",
    pool({ rollout: { maxUnavailable: "150%" } }),
    "nodePools.a.rollout.maxUnavailable",
    /"0%" to "100%"/,
  ],
  [
    "a share as a fraction",
    pool({ rollout: { maxUnavailable: 0.5 } }),
    "nodePools.a.rollout.maxUnavailable",
    /percentage of the pool/,
  ],
  [
    "a rollout that can replace nothing",
    pool({ rollout: { maxSurge: 0 } }),
    "nodePools.a.rollout",
    /no machine can be replaced/,
  ],
  [
    "a rollout on AWS more than 100 points wide",
    () =>
      new FlatcarCluster("a", {
        platform: aws(),
        nodePools: { a: { count: 3, rollout: { maxSurge: 2, maxUnavailable: "50%" } } },
      }),
    "nodePools.a.rollout",
    /at most 100% of the pool together; these come to 117% of its count 3/,
  ],
  [
    "a GCP surge below the zone count",
    () =>
      new FlatcarCluster("a", {
        platform: gcp(REGION),
        nodePools: { a: { count: 4, rollout: { maxSurge: 1 } } },
      }),
    "nodePools.a.rollout.maxSurge",
    /0 or at least 3, the zones every pool spans/,
  ],
  [
    "a GCP share of a pool under 10",
    () =>
      new FlatcarCluster("a", {
        platform: gcp(REGION),
        nodePools: { a: { count: 9, rollout: { maxUnavailable: "20%" } } },
      }),
    "nodePools.a.rollout.maxUnavailable",
    /only for pools of at least 10 \(this one has 9\)/,
  ],
  [
    "a rollout on kvm",
    pool({ rollout: { maxSurge: 1 } }),
    "nodePools.a.rollout",
    /kvm pools roll one machine at a time/,
  ],
  [
    "a pool token as text",
    pool({ bootstrapToken: "abcdef.0123456789abcdef" }),
    "nodePools.a.bootstrapToken",
    /\{ generation\?, expiresAt\? \}/,
  ],
  [
    "a negative token generation",
    pool({ bootstrapToken: { generation: -1 } }),
    "nodePools.a.bootstrapToken.generation",
    /whole number, 0 or more/,
  ],
  [
    "a token generation as text",
    pool({ bootstrapToken: { generation: "2" } }),
    "nodePools.a.bootstrapToken.generation",
    /whole number, 0 or more/,
  ],
  [
    "a token expiry that is no time",
    pool({ bootstrapToken: { expiresAt: "next week" } }),
    "nodePools.a.bootstrapToken.expiresAt",
    /ISO 8601 UTC/,
  ],
  [
    "a pool token that has already expired",
    pool({ bootstrapToken: { expiresAt: "2020-01-01T00:00:00Z" } }),
    "nodePools.a.bootstrapToken.expiresAt",
    /that time has passed.*could never join/,
  ],
  [
    "a typo in a pool token",
    pool({ bootstrapToken: { generaton: 1 } }),
    "nodePools.a.bootstrapToken.generaton",
    /did you mean generation/,
  ],
  [
    "a certificate name with a space",
    flatcar({ certSans: ["api example"] }),
    "certSans[0]",
    /DNS name or an IP/,
  ],
  [
    "certificate names as one string",
    flatcar({ certSans: "api" }),
    "certSans",
    /list of DNS names/,
  ],
  [
    "an AWS-reserved tag",
    () => new FlatcarCluster("a", { platform: aws(), tags: { "aws:team": "x" } }),
    "tags.aws:team",
    /reserved/,
  ],
  [
    "a tag value that is no text",
    flatcar({ tags: { team: 1 } }),
    "tags.team",
    /values of up to 256/,
  ],
  [
    "a tag key too long",
    flatcar({ tags: { ["k".repeat(129)]: "v" } }),
    `tags.${"k".repeat(129)}`,
    /keys of 1-128/,
  ],
  [
    "a GCP label value too long to keep",
    () => new FlatcarCluster("a", { platform: gcp(REGION), tags: { team: "x".repeat(64) } }),
    "tags.team",
    /at most 63/,
  ],
  [
    "two tags that are one GCP label",
    () => new FlatcarCluster("a", { platform: gcp(REGION), tags: { Team: "a", team: "b" } }),
    "tags.team",
    /same GCP label.*Team/,
  ],
  [
    "an AWS tag key of characters EC2 refuses",
    () => new FlatcarCluster("a", { platform: aws(), tags: { "team#1": "x" } }),
    "tags.team#1",
    /letters, digits, spaces and/,
  ],
  ["an expiry that is no time", flatcar({ expiresAt: "tomorrow" }), "expiresAt", /ISO 8601 UTC/],
  [
    "an expiry on a day that does not exist",
    flatcar({ expiresAt: "2026-02-30T06:00:00Z" }),
    "expiresAt",
    /ISO 8601 UTC/,
  ],
  ["a CNI minos does not know", flatcar({ cni: "calico" }), "cni", /"flannel", "cilium" or "none"/],
  [
    "an update mode minos does not know",
    flatcar({ osUpdates: { mode: "auto" } }),
    "osUpdates.mode",
    /"coordinated" or "off"/,
  ],
  [
    "a typo in osUpdates",
    flatcar({ osUpdates: { windw: {} } }),
    "osUpdates.windw",
    /did you mean window\?/,
  ],
  [
    "a typo inside the window (every day would be allowed)",
    flatcar({ osUpdates: { window: { dayz: ["Sat"], start: "02:00", lengthMinutes: 60 } } }),
    "osUpdates.window.dayz",
    /did you mean days\?/,
  ],
  [
    "a typo of lengthMinutes, blamed on the typo",
    flatcar({ osUpdates: { window: { start: "02:00", lenghtMinutes: 60 } } }),
    "osUpdates.window.lenghtMinutes",
    /did you mean lengthMinutes\?/,
  ],
  [
    "a window opening at 25:00",
    flatcar({ osUpdates: { window: { start: "25:00", lengthMinutes: 60 } } }),
    "osUpdates.window.start",
    /HH:MM/,
  ],
  [
    "a window on Monday spelt out",
    flatcar({ osUpdates: { window: { days: ["Monday"], start: "02:00", lengthMinutes: 60 } } }),
    "osUpdates.window.days",
    /Mon, Tue/,
  ],
  [
    "a window past midnight",
    flatcar({ osUpdates: { window: { start: "23:30", lengthMinutes: 60 } } }),
    "osUpdates.window.lengthMinutes",
    /30 to 30/,
  ],
  [
    "a window with updates off",
    flatcar({ osUpdates: { mode: "off", window: { start: "02:00", lengthMinutes: 60 } } }),
    "osUpdates.window",
    /needs mode "coordinated"/,
  ],
  [
    "readiness waiting for pods",
    flatcar({ readiness: { waitFor: "pods" } }),
    "readiness.waitFor",
    /"api" or "nodes"/,
  ],
  [
    "a readiness timeout of seconds",
    flatcar({ readiness: { timeoutSeconds: 5 } }),
    "readiness.timeoutSeconds",
    /30 to 7200/,
  ],
  [
    "a typo in readiness",
    flatcar({ readiness: { waitfor: "api" } }),
    "readiness.waitfor",
    /did you mean waitFor/,
  ],

  // Networks shared with other minos clusters of the same program.
  [
    "a second cluster on the same KVM network",
    () => new FlatcarCluster("second", { platform: kvm() }),
    "platform.cidr",
    /"second".*"first".*10\.77\.0\.0\/24/,
  ],
  [
    "a pod network over another cluster's KVM network",
    () =>
      new FlatcarCluster("second", {
        platform: kvm({ cidr: "10.78.0.0/24" }),
        podCidr: "10.77.0.0/16",
      }),
    "podCidr",
    /"second".*"first".*10\.77\.0\.0\/24/,
  ],
  [
    "a KVM network inside another cluster's service network",
    () =>
      new FlatcarCluster("second", {
        platform: kvm({ cidr: "10.96.5.0/24" }),
        podCidr: "10.200.0.0/16",
        serviceCidr: "10.201.0.0/16",
      }),
    "platform.cidr",
    /"second".*"first".*serviceCidr 10\.96\.0\.0\/12/,
  ],

  // Platform arguments.
  [
    "an AWS VPC too big",
    () => aws({ network: { cidr: "10.0.0.0/8" } }),
    "network.cidr",
    /\/16 to \/24/,
  ],
  ["no zones", () => aws({ network: { azCount: 0 } }), "network.azCount", /1 to 6/],
  [
    "NAT as text",
    () => aws({ network: { natGateway: "no" } } as never),
    "network.natGateway",
    /true or false/,
  ],
  [
    "a VPC id of no known shape",
    () => aws({ network: { vpcId: "vpc-xyz", subnetIds: [] } }),
    "network.vpcId",
    /vpc-0123456789abcdef0/,
  ],
  [
    "an existing VPC without subnets",
    () => aws({ network: { vpcId: "vpc-0123456789abcdef0", subnetIds: [] } }),
    "network.subnetIds",
    /non-empty list of subnet-/,
  ],
  [
    "a subnet id of no known shape",
    () => aws({ network: { vpcId: "vpc-0123456789abcdef0", subnetIds: ["sub-1"] } }),
    "network.subnetIds[0]",
    /subnet-0123456789abcdef0/,
  ],
  [
    "a new-VPC option on an existing VPC",
    () =>
      aws({
        network: {
          vpcId: "vpc-0123456789abcdef0",
          subnetIds: ["subnet-0123456789abcdef0"],
          azCount: 3,
        },
      } as never),
    "network.azCount",
    /use cidr, publicSubnetIds, subnetIds, vpcId/,
  ],
  [
    "a hop limit of 3",
    () => aws({ metadataHopLimit: 3 } as never),
    "metadataHopLimit",
    /1 .* or 2/,
  ],
  [
    "an instance type of no shape",
    () => aws({ defaultInstanceType: "large" }),
    "defaultInstanceType",
    /t3\.medium/,
  ],
  [
    "API ranges as one string",
    () => aws({ apiAllowedCidrs: "0.0.0.0/0" } as never),
    "apiAllowedCidrs",
    /list of IPv4 networks/,
  ],
  [
    "an SSH range that is an address",
    () => aws({ sshAllowedCidrs: ["203.0.113.7"] }),
    "sshAllowedCidrs[0]",
    /IPv4 network/,
  ],
  [
    "a region for aws()",
    () => aws({ region: "eu-west-1" } as never),
    "region",
    /takes no region: pass an aws\.Provider/,
  ],
  [
    "an AWS instance type of no known shape",
    () => new FlatcarCluster("a", { platform: aws(), controlPlane: { machineType: "t3.nope" } }),
    "controlPlane.machineType",
    /t3\.medium/,
  ],
  [
    "SSH ranges without keys on AWS",
    () => new FlatcarCluster("a", { platform: aws({ sshAllowedCidrs: ["203.0.113.0/24"] }) }),
    "sshAllowedCidrs",
    /sshAuthorizedKeys/,
  ],
  ["no GCP region", () => gcp({} as never), "region", /europe-west1/],
  ["a zone for a region", () => gcp({ region: "europe-west1-b" }), "region", /europe-west1/],
  [
    "a GCP subnet too small",
    () => gcp({ ...REGION, network: { cidr: "10.0.0.0/29" } }),
    "network.cidr",
    /\/16 to \/28/,
  ],
  [
    "an existing network without its subnetwork",
    () => gcp({ ...REGION, network: { network: "default" } } as never),
    "network.subnetwork",
    /name or self link/,
  ],
  [
    "a network name with a space",
    () => gcp({ ...REGION, network: { network: "my net", subnetwork: "a" } }),
    "network.network",
    /name or self link/,
  ],
  [
    "a typo in a GCP network",
    () => gcp({ ...REGION, network: { cdir: "10.0.0.0/20" } } as never),
    "network.cdir",
    /did you mean cidr/,
  ],
  [
    "a GCE machine type of no shape",
    () => gcp({ ...REGION, defaultMachineType: "big" }),
    "defaultMachineType",
    /e2-standard-2/,
  ],
  [
    "external IPs as text",
    () => gcp({ ...REGION, workerExternalIps: "yes" } as never),
    "workerExternalIps",
    /true or false/,
  ],
  [
    "a project for gcp()",
    () => gcp({ ...REGION, project: "p" } as never),
    "project",
    /takes no project: pass a gcp\.Provider/,
  ],
  [
    "a GCP machine type of no known shape",
    () =>
      new FlatcarCluster("a", {
        platform: gcp(REGION),
        nodePools: { a: { count: 1, machineType: "big" } },
      }),
    "nodePools.a.machineType",
    /e2-standard-2/,
  ],
  [
    "SSH ranges without keys on GCP",
    () =>
      new FlatcarCluster("a", {
        platform: gcp({ ...REGION, sshAllowedCidrs: ["203.0.113.0/24"] }),
      }),
    "sshAllowedCidrs",
    /sshAuthorizedKeys/,
  ],
  ["a libvirt URI without a scheme", () => kvm({ uri: "localhost" }), "uri", /qemu:\/\/\/system/],
  ["a storage pool with a space", () => kvm({ pool: "my pool" }), "pool", /storage pool name/],
  ["firmware called efi", () => kvm({ firmware: "efi" } as never), "firmware", /"bios" or "uefi"/],
  [
    "volumes as a word",
    () =>
      new FlatcarCluster("a", {
        platform: kvm({ cidr: "10.86.0.0/24" }),
        platformServices: { volumes: "yes" as never },
      }),
    "platformServices.volumes",
    /true or false/,
  ],
  [
    "persistent disks for Talos on GCP",
    () =>
      new TalosCluster("a", {
        platform: gcp(REGION),
        platformServices: { volumes: true },
      }),
    "platformServices.volumes",
    /\/etc\/udev/,
  ],
  [
    "a misspelt platform service",
    () =>
      new FlatcarCluster("a", {
        platform: kvm({ cidr: "10.86.0.0/24" }),
        platformServices: { loadBalancer: false } as never,
      }),
    "platformServices.loadBalancer",
    /loadBalancers/,
  ],
  [
    "kvm()'s old storage switch (now platformServices.volumes)",
    () => kvm({ storage: "yes" } as never),
    "storage",
    /there is no such argument/,
  ],
  [
    "UEFI code at a relative path",
    () => kvm({ uefiFirmware: { arm64: { code: "AAVMF_CODE.fd", varsTemplate: "/v.fd" } } }),
    "uefiFirmware.arm64.code",
    /absolute path/,
  ],
  [
    "UEFI files for an arch minos lacks",
    () => kvm({ uefiFirmware: { x86: {} } } as never),
    "uefiFirmware.x86",
    /use amd64, arm64/,
  ],
  [
    "UEFI files for amd64 nodes that boot BIOS",
    () => kvm({ uefiFirmware: { amd64: { code: "/c.fd", varsTemplate: "/v.fd" } } }),
    "uefiFirmware.amd64",
    /firmware: "uefi"/,
  ],
  ["a KVM network too small", () => kvm({ cidr: "10.77.0.0/27" }), "cidr", /\/16 to \/26/],
  [
    "no load-balancer addresses",
    () => kvm({ loadBalancerAddresses: 0 }),
    "loadBalancerAddresses",
    /a count from 1 to 117/,
  ],
  [
    "load-balancer addresses DHCP hands out",
    () => kvm({ loadBalancerAddresses: "10.77.0.120-10.77.0.130" }),
    "loadBalancerAddresses",
    /between 10\.77\.0\.2 and 10\.77\.0\.127/,
  ],
  [
    "load-balancer addresses over the API's virtual address",
    () => kvm({ loadBalancerAddresses: "10.77.0.2-10.77.0.9" }),
    "loadBalancerAddresses",
    /without the API's virtual address 10\.77\.0\.5/,
  ],
  [
    "load-balancer addresses over a control-plane node's",
    () =>
      new FlatcarCluster("a", {
        platform: kvm({ cidr: "10.97.0.0/24", loadBalancerAddresses: "10.97.0.9-10.97.0.12" }),
      }),
    "loadBalancerAddresses",
    /10\.97\.0\.10 is a-control-plane-0's/,
  ],
  [
    "a KVM size without memory",
    () => kvm({ defaultMachineType: "2cpu" }),
    "defaultMachineType",
    /2cpu-4gb/,
  ],
  [
    "an AWS option on kvm()",
    () => kvm({ metadataHopLimit: 2 } as never),
    "metadataHopLimit",
    /there is no such argument/,
  ],
  [
    "a KVM size of no memory",
    pool({ machineType: "4cpu-0gb" }),
    "nodePools.a.machineType",
    /2cpu-4gb/,
  ],
  ["spot on kvm", pool({ spot: true }), "nodePools.a.spot", /no spot capacity/],
  ["autoscaling on kvm", pool({ maxCount: 3 }), "nodePools.a.maxCount", /fixed size/],
  [
    "more workers than a KVM network holds",
    () =>
      new FlatcarCluster("a", {
        platform: kvm({ cidr: "10.77.0.0/26" }),
        nodePools: { a: { count: 20 } },
      }),
    "cidr",
    /too small for 20 workers/,
  ],

  // Flatcar's options.
  [
    "a Flatcar channel that does not exist",
    flatcar({ channel: "edge" }),
    "channel",
    /stable, beta, alpha, lts/,
  ],
  ["an AMI id of no shape", flatcar({ amiId: "ami-xyz" }), "amiId", /ami-0123456789abcdef0/],
  [
    "a GCE image name with capitals",
    flatcar({ gcpImage: "Flatcar" }),
    "gcpImage",
    /flatcar-stable-/,
  ],
  [
    "a sysext mirror over FTP",
    flatcar({ sysext: { baseUrl: "ftp://mirror" } }),
    "sysext.baseUrl",
    /http\(s\) URL/,
  ],
  [
    "a sysext hash for a file of no known name",
    flatcar({ sysext: { hashes: { "k.raw": "x" } } }),
    "sysext.hashes key",
    /kubernetes-v1\.37\.1-x86-64\.raw/,
  ],
  [
    "a sysext hash of no known form",
    flatcar({ sysext: { hashes: { "kubernetes-v1.37.1-x86-64.raw": "md5-0" } } }),
    "sysext.hashes.kubernetes-v1.37.1-x86-64.raw",
    /sha256-<64 hex>/,
  ],
  [
    "a sysext pin for another Kubernetes release than the cluster's",
    flatcar({
      kubernetesVersion: "1.37.1",
      sysext: { hashes: { "kubernetes-v1.36.4-x86-64.raw": `sha256-${HEX64}` } },
    }),
    "sysext.hashes",
    /runs Kubernetes 1\.37\.1 on amd64, whose sysext is kubernetes-v1\.37\.1-x86-64\.raw; pin it too/,
  ],
  [
    "a typo in the Flatcar sysext",
    flatcar({ sysext: { hash: {} } }),
    "sysext.hash",
    /did you mean hashes/,
  ],
  [
    "sysext updates as text",
    flatcar({ sysext: { autoUpdate: "yes" } }),
    "sysext.autoUpdate",
    /true or false/,
  ],
  [
    "extra Ignition as one object",
    flatcar({ extraIgnition: { ignition: {} } }),
    "extraIgnition",
    /list of Ignition/,
  ],
  [
    "an AMI pinned for a KVM cluster",
    flatcar({ amiId: "ami-0123456789abcdef0" }),
    "amiId",
    /pins an image on aws, and this cluster runs on kvm/,
  ],
  [
    "Flatcar on arm64 GCP",
    () => new FlatcarCluster("a", { platform: gcp(REGION), arch: "arm64" }),
    "arch",
    /amd64 only/,
  ],

  // Fedora CoreOS's options.
  [
    "a typo in an OS option",
    () => new FcosCluster("a", { platform: kvm(), strem: "next" } as never),
    "strem",
    /did you mean stream/,
  ],
  [
    "an FCOS stream that does not exist",
    () => new FcosCluster("a", { platform: kvm(), stream: "rawhide" } as never),
    "stream",
    /stable, testing, next/,
  ],
  [
    "an image source minos lacks",
    () => new FcosCluster("a", { platform: kvm(), imageSource: "s3" } as never),
    "imageSource",
    /"stream-metadata" or "cloud"/,
  ],
  [
    "no time to read stream metadata",
    () => new FcosCluster("a", { platform: kvm(), streamMetadata: { timeoutSeconds: 0 } }),
    "streamMetadata.timeoutSeconds",
    /1 to 600/,
  ],
  [
    "a typo in stream metadata",
    () =>
      new FcosCluster("a", { platform: kvm(), streamMetadata: { baseURL: "https://m" } } as never),
    "streamMetadata.baseURL",
    /did you mean baseUrl/,
  ],
  [
    "a QEMU image that is no .qcow2.xz",
    () =>
      new FcosCluster("a", {
        platform: kvm(),
        qemuImage: { url: "https://m/f.raw", sha256: HEX64 },
      }),
    "qemuImage.url",
    /\.qcow2\.xz/,
  ],
  [
    "a QEMU image without its digest",
    () =>
      new FcosCluster("a", {
        platform: kvm(),
        qemuImage: { url: "https://m/f.qcow2.xz", sha256: "0" },
      }),
    "qemuImage.sha256",
    /64 hex/,
  ],
  [
    "a sysext build of no known name",
    () =>
      new FcosCluster("a", {
        platform: kvm(),
        sysext: { image: { url: "https://m/k.raw", sha256: HEX64 } },
      }),
    "sysext.image.url",
    /kubernetes-cri-o-1\.36-/,
  ],
  [
    "a sysext build for another minor",
    () =>
      new FcosCluster("a", {
        platform: kvm(),
        sysext: {
          image: {
            url: "https://m/kubernetes-cri-o-1.34-1.34.2-1.fc43-43-x86-64.raw",
            sha256: HEX64,
          },
        },
      }),
    "sysext.image.url",
    /kubernetes-cri-o-1\.36/,
  ],
  [
    "a typo in the FCOS sysext",
    () => new FcosCluster("a", { platform: kvm(), sysext: { imag: {} } } as never),
    "sysext.imag",
    /did you mean image/,
  ],
  [
    "a window Zincati cannot keep",
    () =>
      new FcosCluster("a", {
        platform: kvm(),
        osUpdates: { window: { start: "02:00", lengthMinutes: 60 } },
      }),
    "osUpdates.window",
    /FleetLock/,
  ],
  [
    "cloud images on kvm without a QEMU image",
    () => new FcosCluster("a", { platform: kvm(), imageSource: "cloud" }),
    "qemuImage",
    /imageSource "stream-metadata"/,
  ],
  [
    "a QEMU image pinned for an AWS cluster",
    () =>
      new FcosCluster("a", {
        platform: aws(),
        qemuImage: { url: "https://m/f.qcow2.xz", sha256: HEX64 },
      }),
    "qemuImage",
    /pins an image on kvm, and this cluster runs on aws/,
  ],
  [
    "FCOS on arm64 GCP",
    () => new FcosCluster("a", { platform: gcp(REGION), arch: "arm64" }),
    "arch",
    /amd64 only/,
  ],
  [
    "FCOS on a Kubernetes it has no sysext for",
    () => new FcosCluster("a", { platform: kvm(), kubernetesVersion: "1.37.1" }),
    "kubernetesVersion",
    /1\.33 to 1\.36/,
  ],

  // Talos's options.
  [
    "a typo in a Talos option",
    () => new TalosCluster("a", { platform: kvm(), talosVersoin: "1.13.9" } as never),
    "talosVersoin",
    /did you mean talosVersion/,
  ],
  [
    "a Talos release of another line",
    () => new TalosCluster("a", { platform: kvm(), talosVersion: "1.12.0" }),
    "talosVersion",
    /1\.13/,
  ],
  [
    "a schematic that is no id",
    () => new TalosCluster("a", { platform: kvm(), schematic: "abc" }),
    "schematic",
    /64 hex/,
  ],
  [
    "an image digest that is no digest",
    () => new TalosCluster("a", { platform: kvm(), kvmImageSha256: "abc" }),
    "kvmImageSha256",
    /64 hex/,
  ],
  [
    "a GCS location with a space",
    () => new TalosCluster("a", { platform: kvm(), gcpImageBucketLocation: "us central" }),
    "gcpImageBucketLocation",
    /"US"/,
  ],
  [
    "patches as one object",
    () => new TalosCluster("a", { platform: kvm(), configPatches: { all: {} } } as never),
    "configPatches.all",
    /list of merge patches/,
  ],
  [
    "a typo in the patches",
    () => new TalosCluster("a", { platform: kvm(), configPatches: { worker: [] } } as never),
    "configPatches.worker",
    /did you mean workers/,
  ],
  [
    "patches for a pool the cluster lacks",
    () =>
      new TalosCluster("a", {
        platform: kvm(),
        nodePools: { gpu: { count: 1 } },
        configPatches: { pools: { cpu: [{}] } },
      }),
    "configPatches.pools.cpu",
    /gpu/,
  ],
  [
    "a NoCloud image digest for a GCP cluster",
    () => new TalosCluster("a", { platform: gcp(REGION), kvmImageSha256: HEX64 }),
    "kvmImageSha256",
    /pins an image on kvm, and this cluster runs on gcp/,
  ],
  [
    "a bootstrap timeout of seconds",
    () => new TalosCluster("a", { platform: kvm(), bootstrapTimeoutSeconds: 5 }),
    "bootstrapTimeoutSeconds",
    /10 to 7200/,
  ],
  [
    "KubePrism as text",
    () => new TalosCluster("a", { platform: kvm(), kubePrism: "on" } as never),
    "kubePrism",
    /true or false/,
  ],
  [
    "a Talos control-plane delivery minos does not know",
    () => new TalosCluster("a", { platform: aws(), controlPlaneDelivery: "s3" } as never),
    "controlPlaneDelivery",
    /"user-data" \(the default\) or "machine-api"/,
  ],
  [
    "Talos's machine-api delivery on KVM, where no cloud reader sees the config",
    () => new TalosCluster("a", { platform: kvm(), controlPlaneDelivery: "machine-api" }),
    "controlPlaneDelivery",
    /use it on aws or gcp, not kvm/,
  ],
  [
    "a Talos schematic of one's own beside Talos's AMIs",
    () => new TalosCluster("a", { platform: aws(), schematic: "a".repeat(64) }),
    "schematic",
    /built from schematic 10e276a0.*give amiId of an AMI built from yours/,
  ],
  [
    "Talos's machine-api delivery with the API open to the world",
    () => new TalosCluster("a", { platform: aws(), controlPlaneDelivery: "machine-api" }),
    "apiAllowedCidrs",
    /unauthenticated port until minos hands it over; narrow apiAllowedCidrs/,
  ],
  [
    "an arm64 instance type in an amd64 AWS cluster",
    () =>
      new FlatcarCluster("a", {
        platform: aws(),
        nodePools: { general: { count: 1, machineType: "t4g.large" } },
      }),
    "nodePools.general.machineType",
    /it is an arm64 type and the cluster runs amd64/,
  ],
  [
    "an amd64 control-plane type in an arm64 AWS cluster",
    () =>
      new FlatcarCluster("a", {
        platform: aws(),
        arch: "arm64",
        controlPlane: { machineType: "m7i.large" },
      }),
    "controlPlane.machineType",
    /it is an amd64 type and the cluster runs arm64/,
  ],
  [
    "an arm64 platform default on an amd64 AWS cluster",
    () => new FlatcarCluster("a", { platform: aws({ defaultInstanceType: "m7g.large" }) }),
    "defaultInstanceType",
    /it is an arm64 type and the cluster runs amd64/,
  ],
  [
    "an Arm machine type in an amd64 GCP cluster",
    () =>
      new FlatcarCluster("a", {
        platform: gcp(REGION),
        nodePools: { general: { count: 1, machineType: "t2a-standard-4" } },
      }),
    "nodePools.general.machineType",
    /it is an arm64 type and the cluster runs amd64/,
  ],
  [
    "an x86 machine type in an arm64 GCP cluster",
    () =>
      new TalosCluster("a", {
        platform: gcp(REGION),
        arch: "arm64",
        nodePools: { general: { count: 1, machineType: "e2-standard-4" } },
      }),
    "nodePools.general.machineType",
    /it is an amd64 type and the cluster runs arm64/,
  ],
  [
    "an empty apiAllowedCidrs on AWS (the program could not reach its own API)",
    () => new FlatcarCluster("a", { platform: aws({ apiAllowedCidrs: [] }) }),
    "apiAllowedCidrs",
    /list at least the network Pulumi runs from/,
  ],
  [
    "an empty apiAllowedCidrs on GCP",
    () => new FlatcarCluster("a", { platform: gcp({ ...REGION, apiAllowedCidrs: [] }) }),
    "apiAllowedCidrs",
    /list at least the network Pulumi runs from/,
  ],
  [
    "a Talos CNI minos does not know",
    () => new TalosCluster("a", { platform: kvm(), cni: "weave" } as never),
    "cni",
    /"flannel", "cilium" or "none"/,
  ],
  [
    "SSH keys for Talos",
    () => new TalosCluster("a", { platform: kvm(), sshAuthorizedKeys: [KEY] }),
    "sshAuthorizedKeys",
    /talosctl/,
  ],
  [
    "Talos on a Kubernetes it does not run",
    () => new TalosCluster("a", { platform: kvm(), kubernetesVersion: "1.37.1" }),
    "kubernetesVersion",
    /what Talos 1\.13 runs/,
  ],

  // Bottlerocket.
  [
    "Bottlerocket on a KVM cluster",
    () =>
      new BottlerocketNodeGroup("rocket", {
        cluster: kvmCluster(),
        nodePools: { a: { count: 1 } },
      }),
    "platform",
    /use aws/,
  ],
  [
    "Bottlerocket on a GCP cluster",
    () =>
      new BottlerocketNodeGroup("rocket", {
        cluster: gcpCluster(),
        nodePools: { a: { count: 1 } },
      }),
    "platform",
    /no GCE images/,
  ],
  [
    "EKS without its version",
    joinEks({ kubernetesVersion: undefined }),
    "kubernetesVersion",
    /EKS cluster's Kubernetes version/,
  ],
  [
    "EKS on a version minos does not render",
    joinEks({ kubernetesVersion: "1.30.0" }),
    "kubernetesVersion",
    /1\.31/,
  ],
  [
    "a version beside a minos cluster's",
    onMinos({ kubernetesVersion: "1.35.2" }),
    "kubernetesVersion",
    /leave it unset/,
  ],
  [
    "a version beside EKS's, where it was given before",
    onEks({ kubernetesVersion: "1.35.2" }),
    "kubernetesVersion",
    /give it to eksCluster/,
  ],
  [
    "update settings beside a minos cluster's",
    onMinos({ osUpdates: { mode: "off" } }),
    "osUpdates",
    /follow the cluster's osUpdates/,
  ],
  [
    "an update window on EKS",
    joinEks({ osUpdates: { window: { start: "02:00", lengthMinutes: 60 } } }),
    "osUpdates.window",
    /no agent to keep a window/,
  ],
  [
    "a typo in an EKS cluster's options",
    joinEks({ kubernetesversion: "1.35.2" }),
    "kubernetesversion",
    /did you mean kubernetesVersion/,
  ],
  [
    "a Bottlerocket flavor that does not exist",
    onEks({ flavor: "gpu" }),
    "flavor",
    /standard, nvidia, fips/,
  ],
  ["a Bottlerocket AMI of no shape", onEks({ amiId: "ami-1" }), "amiId", /ami-0123456789abcdef0/],
  ["no pods per node", onEks({ maxPods: 0 }), "maxPods", /1 to 1024/],
  [
    "a sysctl that is a number",
    onEks({ sysctls: { "net.ipv4.ip_forward": 1 } }),
    "sysctls.net.ipv4.ip_forward",
    /string/,
  ],
  [
    "a Bottlerocket setting that does not exist",
    onEks({ extraSettings: { kubernetes: { "max-pod": 10 } } }),
    "extraSettings.kubernetes.max-pod",
    /did you mean max-pods/,
  ],
  [
    "a Bottlerocket cluster name it refuses",
    onEks({ extraSettings: { kubernetes: { "cluster-name": "-a" } } }),
    "extraSettings.kubernetes.cluster-name",
    /\^\[0-9A-Za-z\]/,
  ],
  [
    "a Bottlerocket section that is not a table",
    onEks({ extraSettings: { kubernetes: ["max-pods=10"] } }),
    "extraSettings.kubernetes",
    /use a table \(an object\) of settings: .*max-pods/,
  ],
  [
    "a Bottlerocket map that is not a table",
    onEks({ extraSettings: { kubernetes: { "node-labels": "team=a" } } }),
    "extraSettings.kubernetes.node-labels",
    /use a table \(an object\) of names to values/,
  ],
  ["a typo in a Bottlerocket option", onEks({ maxpods: 10 }), "maxpods", /did you mean maxPods/],
  [
    "a Bottlerocket option of another OS",
    onMinos({ channel: "beta" }),
    "channel",
    /there is no such argument/,
  ],
  [
    "the control container as text",
    onEks({ controlContainer: "yes" }),
    "controlContainer",
    /true or false/,
  ],
  ["no pools", onEks({ nodePools: {} }), "nodePools", /at least one pool/],
  ["a Bottlerocket arch minos lacks", onEks({ arch: "riscv64" }), "arch", /amd64 or arm64/],
  [
    "Bottlerocket on Talos's own Flannel",
    () =>
      new BottlerocketNodeGroup("rocket", {
        cluster: talosOnAws(),
        nodePools: { a: { count: 1 } },
      }),
    "cluster.cni",
    /cni: "cilium"/,
  ],
  [
    "an EKS cluster of no known shape",
    joinEks({}, { name: "eks" }),
    "source",
    /endpoint, certificateAuthorityData, subnetIds/,
  ],
  [
    "an EKS endpoint that is no https:// URL",
    joinEks({}, { ...EKS, endpoint: "eks.example:443" }),
    "source.endpoint",
    /https:\/\/ endpoint/,
  ],
  [
    "an OS whose workers take a token, joining EKS",
    () =>
      new NodeGroup("test:index:NodeGroup", "group", flatcarOs(), {
        cluster: joinEks({})(),
        nodePools: { a: { count: 1 } },
      }),
    "cluster.nodeAuth",
    /admits nodes by their platform identity/,
  ],
  [
    "an EKS machine type of no shape",
    onEks({ nodePools: { a: { count: 1, machineType: "big" } } }),
    "nodePools.a.machineType",
    /t3\.medium/,
  ],
  ["an AWS tag on an EKS node group", onEks({ tags: { "aws:x": "y" } }), "tags.aws:x", /reserved/],

  // A node group of any OS joining a cluster.
  [
    "a cluster to join that is no cluster",
    nodeGroup({ cluster: { platform: kvm() } }),
    "cluster",
    /join, kubernetesVersion, cni and osUpdates/,
  ],
  [
    "a cluster to join with a version of no shape",
    nodeGroup({
      cluster: {
        platform: kvm(),
        join: {},
        kubernetesVersion: "1.37",
        cni: { plugin: "flannel", deployedBy: "minos" },
        osUpdates: { mode: "off" },
      },
    }),
    "cluster.kubernetesVersion",
    /major\.minor\.patch/,
  ],
  [
    "a cluster to join with a CNI as text",
    nodeGroup({
      cluster: {
        platform: kvm(),
        join: {},
        kubernetesVersion: "1.37.1",
        cni: "flannel",
        osUpdates: { mode: "off" },
      },
    }),
    "cluster.cni",
    /plugin.*deployedBy/,
  ],
  [
    "a cluster of another stack without a provider for its tokens",
    nodeGroup({
      cluster: {
        platform: kvm(),
        join: {},
        kubernetesVersion: "1.37.1",
        cni: { plugin: "flannel", deployedBy: "minos" },
        osUpdates: { mode: "off" },
      },
    }),
    "cluster.provider",
    /Kubernetes provider for the cluster/,
  ],
  [
    "a provider that is no Kubernetes provider",
    nodeGroup({
      cluster: {
        platform: kvm(),
        join: {},
        kubernetesVersion: "1.37.1",
        cni: { plugin: "flannel", deployedBy: "minos" },
        osUpdates: { mode: "off" },
        provider: { kubeconfig: "~/.kube/config" },
      },
    }),
    "cluster.provider",
    /new k8s\.Provider/,
  ],
  [
    "a token for an EKS pool",
    onEks({ nodePools: { a: { count: 1, bootstrapToken: { generation: 1 } } } }),
    "nodePools.a.bootstrapToken",
    /join without a bootstrap token/,
  ],
  ["a typo in a node group", nodeGroup({ nodepools: {} }), "nodepools", /did you mean nodePools/],
  ["a node group without pools", nodeGroup({ nodePools: {} }), "nodePools", /at least one pool/],
  [
    "spot in a KVM node group",
    nodeGroup({ nodePools: { a: { count: 1, spot: true } } }),
    "nodePools.a.spot",
    /no spot capacity/,
  ],
  ["an AWS tag on a node group", nodeGroup({ tags: { "aws:x": "y" } }), "tags.aws:x", /reserved/],
  [
    "a bad SSH key in a node group",
    nodeGroup({ sshAuthorizedKeys: ["x"] }),
    "sshAuthorizedKeys[0]",
    /OpenSSH/,
  ],

  // minos render.
  [
    "render of an OS minos lacks",
    cli("ubuntu", "--role", "worker", "--platform", "kvm"),
    "<os>",
    /flatcar, fcos/,
  ],
  [
    "render of a role Kubernetes lacks",
    cli("flatcar", "--role", "master", "--platform", "kvm"),
    "--role",
    /control-plane, control-plane-join, worker/,
  ],
  [
    "render on a cloud minos lacks",
    cli("flatcar", "--role", "worker", "--platform", "azure"),
    "--platform",
    /aws, gcp, kvm/,
  ],
  [
    "render of Bottlerocket on kvm",
    cli("bottlerocket", "--role", "worker", "--platform", "kvm"),
    "--platform",
    /bottlerocket runs on aws/,
  ],
  [
    "render of a version out of range",
    cli(...CLI, "--kubernetes-version", "1.99.0"),
    "--kubernetes-version",
    /1\.31 to 1\.37/,
  ],
  [
    "render of Bottlerocket on a version out of range",
    cli("bottlerocket", "--role", "worker", "--platform", "aws", "--kubernetes-version", "1.30.0"),
    "--kubernetes-version",
    /1\.31 to 1\.37/,
  ],
  ["render of an arch minos lacks", cli(...CLI, "--arch", "x86"), "--arch", /amd64 or arm64/],
  [
    "render of a cluster name with capitals",
    cli(...CLI, "--cluster-name", "Dev"),
    "--cluster-name",
    /lowercase/,
  ],
  [
    "render with an endpoint that is a URL",
    cli(...CLI, "--endpoint", "https://api:6443"),
    "--endpoint",
    /host name or an IP address/,
  ],
  [
    "render with an empty endpoint",
    cli(...CLI, "--endpoint", ""),
    "--endpoint",
    /host name or an IP address/,
  ],
  [
    "render with a typo in a flag",
    cli(...CLI, "--kubernetes-verison", "1.35.2"),
    "--kubernetes-verison",
    /did you mean --kubernetes-version/,
  ],
  ["render with a flag but no value", cli(...CLI, "--arch"), "--arch", /give it a value/],
  ["render with a value for a switch", cli(...CLI, "--help=yes"), "--help", /give it no value/],
  [
    "render of a Bottlerocket control plane",
    cli("bottlerocket", "--role", "control-plane", "--platform", "aws"),
    "--role",
    /workers/,
  ],
];

describe("bad input is refused, naming the argument, before any resource exists", () => {
  it("covers at least 80 bad inputs", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(80);
    expect(new Set(CASES.map(([what]) => what)).size).toBe(CASES.length);
  });

  it.each(CASES)("%s", async (_what, make, argument, allowed) => {
    await settle();
    const before = { started: started.length, registered: registered.length };
    let error: unknown;
    try {
      await make();
    } catch (e) {
      error = e;
    }
    expect(error, "no error").toBeInstanceOf(Error);
    expect((error as Error).name).toBe("MinosError");
    expect((error as { argument?: string }).argument).toBe(argument);
    expect((error as Error).message).toContain(argument);
    expect((error as Error).message).toMatch(allowed);
    expect(started.slice(before.started), "registered before the error").toEqual([]);
    expect(registered.length).toBe(before.registered);
  });

  it("still takes what is right: keys, SSH ranges with keys, real machine types", () => {
    expect(
      () =>
        new FlatcarCluster("ok", {
          platform: aws({ sshAllowedCidrs: ["203.0.113.0/24"] }),
          sshAuthorizedKeys: [KEY],
          controlPlane: { machineType: "m7i.2xlarge" },
          nodePools: { a: { count: 1, machineType: "c6in.metal-24xl" } },
          channel: "beta",
          tags: { "team:platform": "a b/c@d", "minos:example": "ok" },
        }),
    ).not.toThrow();
    // Graviton types in an arm64 cluster.
    expect(
      () =>
        new FlatcarCluster("ok-arm", {
          platform: aws(),
          arch: "arm64",
          controlPlane: { machineType: "m7g.2xlarge" },
          nodePools: { a: { count: 1, machineType: "c7gn.large" } },
        }),
    ).not.toThrow();
  });

  it("still takes what is right beside the checks made stricter", () => {
    // Another network on the same host, and the same range on another host.
    expect(
      () => new FlatcarCluster("beside", { platform: kvm({ cidr: "10.92.0.0/24" }) }),
    ).not.toThrow();
    expect(
      () =>
        new FlatcarCluster("elsewhere", {
          platform: kvm({ uri: "qemu+ssh://root@other.example/system" }),
        }),
    ).not.toThrow();
    // New VPCs are isolated: two clusters on AWS's default range (on-aws, talos-aws) are fine.
    expect(
      () => new FlatcarCluster("vpc-again", { platform: aws(), tags: { Team: "x" } }),
    ).not.toThrow();
    expect(
      () =>
        new FlatcarCluster("labels", {
          platform: gcp({ ...REGION, workerExternalIps: true }),
          tags: { Team: "Platform", "cost-center": "42" },
        }),
    ).not.toThrow();
    expect(
      () =>
        new TalosCluster("patched", {
          platform: kvm({ cidr: "10.93.0.0/24" }),
          nodePools: { gpu: { count: 1 } },
          configPatches: { pools: { gpu: [{ machine: {} }] } },
          readiness: { waitFor: "api", timeoutSeconds: 600 },
          controlPlane: { schedulable: true },
        }),
    ).not.toThrow();
    expect(
      onEks({
        flavor: "nvidia",
        amiId: "ami-0123456789abcdef0",
        controlContainer: false,
        adminContainer: true,
        maxPods: 110,
        sysctls: { "net.ipv4.ip_forward": "1" },
        extraSettings: { kubernetes: { "max-pods": 110 } },
        arch: "arm64",
        tags: { team: "x" },
        cluster: joinEks({ osUpdates: { mode: "off" } })(),
        nodePools: { a: { count: 1, machineType: "m7g.large" } },
      }),
    ).not.toThrow();
    expect(nodeGroup({ tags: { team: "x" }, sshAuthorizedKeys: [KEY] })).not.toThrow();
    // Rollouts at the edges of what each cloud takes.
    expect(
      () =>
        new FlatcarCluster("roll-aws", {
          platform: aws(),
          nodePools: { a: { count: 2, rollout: { maxSurge: "50%", maxUnavailable: 1 } } },
        }),
    ).not.toThrow();
    expect(
      () =>
        new FlatcarCluster("roll-gcp", {
          platform: gcp(REGION),
          nodePools: {
            a: { count: 3, rollout: { maxSurge: 0, maxUnavailable: 3 } },
            b: { count: 10, rollout: { maxSurge: "10%" } },
          },
        }),
    ).not.toThrow();
    expect(
      () =>
        new FlatcarCluster("tokens", {
          platform: kvm({ cidr: "10.94.0.0/24" }),
          nodePools: {
            a: { count: 1, bootstrapToken: { generation: 3, expiresAt: "2030-01-01T00:00:00Z" } },
          },
        }),
    ).not.toThrow();
  });
});
