import type { BootstrapContext, NodeRole } from "@minos/core";
import { CONTROL_PLANE_TAINT, endpointUrl, mergePatch } from "@minos/core";
import { stringify } from "yaml";
import type { TalosSecretMaterial } from "./secrets.js";

/** What a machine config is rendered from, beside the bootstrap context. */
export interface MachineConfigInput {
  talosVersion: string;
  /** The CNI Talos deploys: flannel, or none (bring your own). */
  cni: "flannel" | "none";
  /** Merge patches, applied in order after minos' own config. */
  patches: readonly object[];
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

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
 * version; no `install` section (AWS, GCP and NoCloud boot in cloud mode).
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
  const v = `v${ctx.kubernetesVersion}`;
  const endpoint = endpointUrl(ctx.endpoint);
  const sans = [...new Set([ctx.endpoint.host, ...ctx.certSans])];
  const pair = (crt: string, key: string) => ({ crt: b64(crt), key: b64(key) });
  // Talos taints its control plane itself; the shared taint would only repeat it.
  const taints = ctx.node.taints.filter((t) => t.key !== CONTROL_PLANE_TAINT.key);

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
    },
    ...(Object.keys(ctx.node.labels).length > 0 && { nodeLabels: ctx.node.labels }),
    ...(taints.length > 0 && {
      nodeTaints: Object.fromEntries(
        taints.map((t) => [t.key, t.value ? `${t.value}:${t.effect}` : t.effect]),
      ),
    }),
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
    ...(controlPlane && {
      secretboxEncryptionSecret: talos.secretboxEncryptionSecret,
      aggregatorCA: pair(controlPlane.frontProxyCa.certPem, controlPlane.frontProxyCa.keyPem),
      serviceAccount: { key: b64(controlPlane.serviceAccount.privateKeyPem) },
      apiServer: { image: `registry.k8s.io/kube-apiserver:${v}`, certSANs: sans },
      controllerManager: { image: `registry.k8s.io/kube-controller-manager:${v}` },
      scheduler: { image: `registry.k8s.io/kube-scheduler:${v}` },
      proxy: { image: `registry.k8s.io/kube-proxy:${v}` },
      etcd: { ca: pair(controlPlane.etcdCa.certPem, controlPlane.etcdCa.keyPem) },
    }),
  };
  const config = { version: "v1alpha1", debug: false, persist: true, machine, cluster };
  return input.patches.reduce<Record<string, unknown>>(
    (c, patch) => mergePatch(c as never, patch as never) as Record<string, unknown>,
    config,
  );
}

/** YAML as Talos reads it; key order as built, so the same input gives the same bytes. */
export function renderMachineConfig(config: Record<string, unknown>): string {
  // No anchors: the same SAN list appears twice and must read as two plain lists.
  return stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}
