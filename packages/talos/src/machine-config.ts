import type { BootstrapContext, NodeRole } from "@minos/core/render";
import { CONTROL_PLANE_TAINT, endpointUrl, mergePatch } from "@minos/core/render";
import { stringify } from "yaml";
import { podMetadataBlockPod } from "./pod-metadata-block.js";
import type { TalosSecretMaterial } from "./secrets.js";

/** What a machine config is rendered from, beside the bootstrap context. */
export interface MachineConfigInput {
  talosVersion: string;
  /** The CNI Talos deploys: flannel, or none (bring your own). */
  cni: "flannel" | "none";
  /** Talos features `talosctl gen config` turns on, each of which minos can turn off. */
  features: TalosFeatures;
  /** Merge patches, applied in order after minos' own config. */
  patches: readonly object[];
}

/** What 1.13's generator enables and minos keeps on unless told otherwise. */
export interface TalosFeatures {
  /** KubePrism, the node-local API load balancer on port 7445. */
  kubePrism: boolean;
  /** The host DNS cache, and CoreDNS forwarding to it. */
  hostDns: boolean;
  /** Cluster discovery through Sidero's discovery service. */
  discovery: boolean;
}

/** KubePrism's port (Talos's `constants.DefaultKubePrismPort`). */
export const KUBE_PRISM_PORT = 7445;

/** The label 1.13's generator puts on control-plane nodes (`AddExcludeFromExternalLoadBalancer`). */
export const EXCLUDE_FROM_LB = "node.kubernetes.io/exclude-from-external-load-balancers";

/**
 * Pod Security admission as 1.13's generator configures it: baseline
 * enforced, restricted audited and warned, kube-system exempt.
 */
const POD_SECURITY = {
  name: "PodSecurity",
  configuration: {
    apiVersion: "pod-security.admission.config.k8s.io/v1alpha1",
    kind: "PodSecurityConfiguration",
    defaults: {
      enforce: "baseline",
      "enforce-version": "latest",
      audit: "restricted",
      "audit-version": "latest",
      warn: "restricted",
      "warn-version": "latest",
    },
    exemptions: { usernames: [], runtimeClasses: [], namespaces: ["kube-system"] },
  },
};

/** Talos's `APIServerDefaultAuditPolicy`, which the generator writes out. */
const AUDIT_POLICY = {
  apiVersion: "audit.k8s.io/v1",
  kind: "Policy",
  rules: [{ level: "Metadata" }],
};

const b64 = (text: string) => Buffer.from(text).toString("base64");

/**
 * The kubelet runs in a container of its own on Talos and sees only the
 * host directories it is given: local volumes' directory is bound into it
 * (rshared, so the mounts it makes there reach the pods), as Talos's own
 * guide to local-path-provisioner has it (v1.9
 * `kubernetes-guides/configuration/local-storage.md`). Talos makes the
 * source directory before it starts the kubelet
 * (`internal/app/machined/pkg/system/services/kubelet.go`).
 */
function localVolumesMount(path: string): Record<string, unknown> {
  return { destination: path, type: "bind", source: path, options: ["bind", "rshared", "rw"] };
}

/**
 * Talos labels Ed25519 keys `ED25519 PRIVATE KEY` (PKCS#8 inside); the TLS
 * provider writes the same PKCS#8 as `PRIVATE KEY`.
 */
export const talosKeyPem = (pkcs8Pem: string) =>
  pkcs8Pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, "-----$1 ED25519 PRIVATE KEY-----");

/**
 * The v1alpha1 machine config of one node (single document, Talos 1.13):
 * control-plane nodes carry every CA with its key; workers carry CA
 * certificates only. Kubernetes component images are pinned to the cluster's
 * version. Every field `talosctl gen config` 1.13 sets is set the same way,
 * except `install` (AWS, GCP and NoCloud boot in cloud mode) and the
 * separate HostnameConfig document (the platforms name each node).
 */
export function machineConfig(
  role: NodeRole,
  ctx: BootstrapContext,
  talos: TalosSecretMaterial,
  input: MachineConfigInput,
): Record<string, unknown> {
  const controlPlane = role === "worker" ? undefined : ctx.controlPlane;
  if (role !== "worker" && !controlPlane)
    throw new Error(`minos: a ${role} node needs the control-plane secrets; none were passed`);
  const v = `v${ctx.kubernetes.text}`;
  const endpoint = endpointUrl(ctx.endpoint);
  const sans = [...new Set([ctx.endpoint.host, ...ctx.certSans])];
  const pair = (crt: string, key: string) => ({ crt: b64(crt), key: b64(key) });
  // Talos taints its control plane itself; the shared taint would only repeat it.
  const taints = ctx.node.taints.filter((t) => t.key !== CONTROL_PLANE_TAINT.key);

  const { kubePrism, hostDns, discovery } = input.features;
  const labels = { ...(controlPlane && { [EXCLUDE_FROM_LB]: "" }), ...ctx.node.labels };

  const machine = {
    type: controlPlane ? "controlplane" : "worker",
    token: talos.machineToken,
    ca: controlPlane
      ? pair(talos.osCa.certPem, talosKeyPem(talos.osCa.keyPem))
      : { crt: b64(talos.osCa.certPem) },
    certSANs: sans,
    kubelet: {
      image: `ghcr.io/siderolabs/kubelet:${v}`,
      ...(Object.keys(ctx.node.kubeletExtraArgs).length > 0 && {
        extraArgs: ctx.node.kubeletExtraArgs,
      }),
      defaultRuntimeSeccompProfileEnabled: true,
      disableManifestsDirectory: true,
      ...(ctx.localVolumes !== undefined && { extraMounts: [localVolumesMount(ctx.localVolumes)] }),
      // AWS's controller finds a node named by its private DNS name (the
      // metadata's FQDN); Talos registers the short host name otherwise.
      ...(ctx.externalCloudProvider && ctx.platform === "aws" && { registerWithFQDN: true }),
    },
    features: {
      diskQuotaSupport: true,
      kubePrism: kubePrism ? { enabled: true, port: KUBE_PRISM_PORT } : { enabled: false },
      hostDNS: hostDns ? { enabled: true, forwardKubeDNSToHost: true } : { enabled: false },
    },
    ...(Object.keys(labels).length > 0 && { nodeLabels: labels }),
    ...(taints.length > 0 && {
      nodeTaints: Object.fromEntries(
        taints.map((t) => [t.key, t.value ? `${t.value}:${t.effect}` : t.effect]),
      ),
    }),
    // GCE's metadata server answers any pod; IMDSv2's hop limit keeps AWS's from them.
    ...(ctx.platform === "gcp" && { pods: [podMetadataBlockPod(ctx.kubernetes.text)] }),
  };
  const cluster = {
    id: talos.clusterId,
    secret: talos.clusterSecret,
    controlPlane: { endpoint },
    clusterName: ctx.clusterName,
    network: {
      dnsDomain: "cluster.local",
      podSubnets: [ctx.podCidr],
      serviceSubnets: [ctx.serviceCidr],
      cni: { name: input.cni },
    },
    token: ctx.join.bootstrapToken,
    ca: controlPlane
      ? pair(controlPlane.ca.certPem, controlPlane.ca.keyPem)
      : { crt: b64(ctx.join.caCertPem) },
    // The kubelet (and where the flag exists, the control plane) runs with
    // --cloud-provider=external; the platform's controller comes through
    // the cluster's provider, so Talos applies no manifests of its own.
    ...(ctx.externalCloudProvider && { externalCloudProvider: { enabled: true } }),
    ...(controlPlane && {
      secretboxEncryptionSecret: talos.secretboxEncryptionSecret,
      aggregatorCA: pair(controlPlane.frontProxyCa.certPem, controlPlane.frontProxyCa.keyPem),
      serviceAccount: { key: b64(controlPlane.serviceAccount.privateKeyPem) },
      apiServer: {
        image: `registry.k8s.io/kube-apiserver:${v}`,
        certSANs: sans,
        admissionControl: [POD_SECURITY],
        auditPolicy: AUDIT_POLICY,
      },
      controllerManager: { image: `registry.k8s.io/kube-controller-manager:${v}` },
      scheduler: { image: `registry.k8s.io/kube-scheduler:${v}` },
      proxy: { image: `registry.k8s.io/kube-proxy:${v}` },
    }),
    // The Kubernetes registry is off as 1.13 has it (it does not work from Kubernetes 1.32 on).
    discovery: discovery
      ? { enabled: true, registries: { kubernetes: { disabled: true }, service: {} } }
      : { enabled: false },
    ...(controlPlane && {
      etcd: { ca: pair(controlPlane.etcdCa.certPem, controlPlane.etcdCa.keyPem) },
    }),
  };
  const config = { version: "v1alpha1", debug: false, persist: true, machine, cluster };
  return input.patches.reduce<Record<string, unknown>>(
    (c, patch) => mergePatch(c as never, patch as never) as Record<string, unknown>,
    config,
  );
}

/** The name the VIP's link goes by, whatever the kernel calls it. */
export const VIP_LINK = "minos-api";

/**
 * The documents that make a control-plane node hold a virtual API address
 * (`ctx.endpoint.virtualIp`): Talos 1.13's `Layer2VIPConfig`, which needs a
 * link name, on a `LinkAliasConfig` that names the node's one NIC by QEMU's
 * MAC prefix (every KVM node's MAC starts with it), so the config does not
 * depend on how the machine type numbers its PCI slots. Talos announces
 * the address from one control-plane node at a time, by etcd election.
 * Fields as in siderolabs/talos v1.13.9,
 * `pkg/machinery/config/types/network/{layer2_vip,link_alias}.go`.
 */
export function virtualIpDocuments(
  role: NodeRole,
  ctx: BootstrapContext,
): Record<string, unknown>[] {
  if (role === "worker" || !ctx.endpoint.virtualIp) return [];
  return [
    {
      apiVersion: "v1alpha1",
      kind: "LinkAliasConfig",
      name: VIP_LINK,
      selector: { match: 'glob("52:54:00:*", mac(link.permanent_addr))' },
    },
    { apiVersion: "v1alpha1", kind: "Layer2VIPConfig", name: ctx.endpoint.host, link: VIP_LINK },
  ];
}

/**
 * YAML as Talos reads it, the v1alpha1 document first and any other
 * documents after it; key order as built, so the same input gives the same
 * bytes.
 */
export function renderMachineConfig(
  config: Record<string, unknown>,
  documents: readonly Record<string, unknown>[] = [],
): string {
  // No anchors: the same SAN list appears twice and must read as two plain lists.
  return [config, ...documents]
    .map((d) => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false }))
    .join("---\n");
}
