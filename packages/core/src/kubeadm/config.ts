import { stringify } from "yaml";
import type { BootstrapContext, NodeRole } from "../contracts/bootstrap.js";
import { hostPort } from "../endpoint.js";
import { KUBEADM_PATCHES_DIR } from "./provider-id.js";

/** kubeadm's config API; v1beta4 is read by Kubernetes 1.31 and later. */
export const KUBEADM_API_VERSION = "kubeadm.k8s.io/v1beta4";

/** Where kubeadm's config is written on every node. */
export const KUBEADM_CONFIG_PATH = "/etc/kubernetes/kubeadm.yaml";

/** What an OS contributes to kubeadm: its runtime socket and kubelet quirks. */
export interface KubeadmOsDefaults {
  /** e.g. `unix:///run/containerd/containerd.sock` */
  criSocket: string;
  /** Kubelet flags the OS needs (Flatcar: a writable volume-plugin dir). */
  kubeletExtraArgs?: Record<string, string>;
  /** controller-manager flags the OS needs. */
  controllerManagerExtraArgs?: Record<string, string>;
}

/** Tolerates how long a joining node waits for the control plane to appear. */
const JOIN_DISCOVERY_TIMEOUT = "30m0s";

/**
 * kubeadm's own defaults assume a ready endpoint; a new cloud load balancer
 * takes a minute or two to mark its first target healthy, and software-
 * emulated nodes are slow. A failed first boot is not retried, so wait.
 */
const INIT_TIMEOUTS = { controlPlaneComponentHealthCheck: "10m0s", kubernetesAPICall: "10m0s" };

/**
 * Renders the kubeadm config for one role: `InitConfiguration` +
 * `ClusterConfiguration` + `KubeletConfiguration` for the first control-plane
 * node, a `JoinConfiguration` for the rest. The pre-generated token and CA
 * hash are in it, so no value has to be read off another node.
 */
export function renderKubeadmConfig(
  role: NodeRole,
  ctx: BootstrapContext,
  os: KubeadmOsDefaults,
): string {
  const documents =
    role === "control-plane" ? initDocuments(ctx, os) : [joinConfiguration(role, ctx, os)];
  return documents.map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n");
}

function initDocuments(ctx: BootstrapContext, os: KubeadmOsDefaults): object[] {
  const version = ctx.kubernetes;
  return [
    {
      apiVersion: KUBEADM_API_VERSION,
      kind: "InitConfiguration",
      bootstrapTokens: [
        {
          token: ctx.join.bootstrapToken,
          description: "minos: lets nodes join; lives as long as the cluster",
          // Workers of an autoscaled pool join at any time, so the token never expires.
          ttl: "0s",
          usages: ["signing", "authentication"],
          groups: ["system:bootstrappers:kubeadm:default-node-token"],
        },
      ],
      nodeRegistration: nodeRegistration(ctx, os),
      ...patches(ctx),
      timeouts: INIT_TIMEOUTS,
    },
    {
      apiVersion: KUBEADM_API_VERSION,
      kind: "ClusterConfiguration",
      clusterName: ctx.clusterName,
      kubernetesVersion: `v${version.text}`,
      controlPlaneEndpoint: endpoint(ctx),
      // Matches the ECDSA P-256 CAs minos generates; leaf keys stay small.
      encryptionAlgorithm: "ECDSA-P256",
      networking: {
        podSubnet: ctx.podCidr,
        serviceSubnet: ctx.serviceCidr,
        dnsDomain: "cluster.local",
      },
      apiServer: { certSANs: [...new Set([ctx.endpoint.host, ...ctx.certSans])] },
      ...(os.controllerManagerExtraArgs && {
        controllerManager: { extraArgs: args(os.controllerManagerExtraArgs) },
      }),
    },
    {
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      cgroupDriver: "systemd",
    },
  ];
}

function joinConfiguration(role: NodeRole, ctx: BootstrapContext, os: KubeadmOsDefaults): object {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: "JoinConfiguration",
    discovery: {
      bootstrapToken: {
        apiServerEndpoint: endpoint(ctx),
        token: ctx.join.bootstrapToken,
        caCertHashes: [ctx.join.caCertHash],
      },
    },
    nodeRegistration: nodeRegistration(ctx, os),
    ...patches(ctx),
    // The shared CA keys are already on disk (written by first boot), so a
    // joining control-plane node needs no certificate key and no upload.
    ...(role === "control-plane-join" && { controlPlane: { localAPIEndpoint: {} } }),
    timeouts: {
      discovery: JOIN_DISCOVERY_TIMEOUT,
      kubernetesAPICall: INIT_TIMEOUTS.kubernetesAPICall,
    },
  };
}

function nodeRegistration(ctx: BootstrapContext, os: KubeadmOsDefaults): object {
  const { labels, taints, kubeletExtraArgs } = ctx.node;
  const nodeLabels = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const kubeletArgs = {
    ...os.kubeletExtraArgs,
    // Registered tainted uninitialized until the platform's controller has seen it.
    ...(ctx.externalCloudProvider && { "cloud-provider": "external" }),
    ...(nodeLabels && { "node-labels": nodeLabels }),
    ...kubeletExtraArgs,
  };
  return {
    criSocket: os.criSocket,
    kubeletExtraArgs: args(kubeletArgs),
    taints: taints.map((t) => ({
      key: t.key,
      ...(t.value !== undefined && { value: t.value }),
      effect: t.effect,
    })),
  };
}

/**
 * With the external cloud provider, kubeadm merges the provider ID the node
 * read from its platform (`provider-id.ts`) into the kubelet's config.
 */
function patches(ctx: BootstrapContext): object {
  return ctx.externalCloudProvider ? { patches: { directory: KUBEADM_PATCHES_DIR } } : {};
}

/** v1beta4 takes extra args as a list of name/value pairs; sorted for stable output. */
function args(map: Record<string, string>): { name: string; value: string }[] {
  return Object.keys(map)
    .sort()
    .map((name) => ({ name, value: map[name] as string }));
}

function endpoint(ctx: BootstrapContext): string {
  return hostPort(ctx.endpoint.host, ctx.endpoint.port);
}
