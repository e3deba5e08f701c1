import type { BootstrapContext, Json } from "@minos/core/render";
import { endpointUrl, mergePatch, nthAddress, parseCidr, renderToml } from "@minos/core/render";

/**
 * Where a node joining a minos cluster takes its name from. The aws-k8s
 * variants default `hostname-override-source` to `private-dns-name`, which
 * makes pluto ask EC2 (`ec2:DescribeInstances`) and, denied, retry for 300 s
 * and fail, so settings-applier never runs and kubelet never starts. The
 * pools run with the cluster's worker role, which may only read its own
 * first-boot configs; `instance-id` reads instance metadata alone (pluto,
 * bottlerocket-core-kit `sources/api/pluto/src/main.rs`), so the node is
 * named by its instance ID, `i-0123456789abcdef0`.
 */
export const NODE_NAME_SOURCE = "instance-id";

/** How a node proves itself to the API server. */
export type JoinMode =
  /** A minos (kubeadm or Talos) cluster: TLS bootstrap with the cluster's bootstrap token. */
  | { kind: "bootstrap-token" }
  /** EKS: the node's IAM role, mapped by an access entry. */
  | { kind: "eks"; clusterDnsIp?: string };

/** Bottlerocket's own options for its settings. */
export interface SettingsOptions {
  /** The control host container (SSM agent). Default enabled. */
  controlContainer: boolean;
  /** The admin host container (a root shell through the control container). Default disabled. */
  adminContainer: boolean;
  /** Pods per node. Default: Bottlerocket's own (on EKS, by instance type). */
  maxPods?: number;
  /** Kernel parameters. */
  sysctls: Record<string, string>;
  /** The user's settings, merged last (RFC 7386: `null` removes a key). */
  extraSettings: Record<string, unknown>;
}

/**
 * The `settings` a Bottlerocket node reads from user data, for one pool.
 * Joining a minos cluster: TLS authentication with the bootstrap token (the
 * aws-k8s variants default to AWS IAM authentication), the cluster's DNS
 * address (the 10th of the service network, as kubeadm and Talos place it),
 * the external cloud provider where the cluster runs AWS's cloud controller
 * (which finds the node by its instance-ID name and the provider ID pluto
 * sets, and lifts its "uninitialized" taint), else none, no serving-certificate bootstrap (nothing
 * approves those CSRs), and the instance ID as the node's name (see
 * `NODE_NAME_SOURCE`). Joining EKS: the cluster's name, endpoint and CA.
 */
export function bottlerocketSettings(
  ctx: BootstrapContext,
  join: JoinMode,
  o: SettingsOptions,
): Record<string, unknown> {
  const taints: Record<string, string[]> = {};
  for (const t of ctx.node.taints) {
    const entry = t.value ? `${t.value}:${t.effect}` : `:${t.effect}`;
    taints[t.key] = [...(taints[t.key] ?? []), entry];
  }
  const kubernetes = {
    "cluster-name": ctx.clusterName,
    "api-server": endpointUrl(ctx.endpoint),
    "cluster-certificate": Buffer.from(ctx.join.caCertPem).toString("base64"),
    ...(join.kind === "bootstrap-token"
      ? {
          "authentication-mode": "tls",
          "bootstrap-token": ctx.join.bootstrapToken,
          "cluster-dns-ip": nthAddress(parseCidr("serviceCidr", ctx.serviceCidr), 10),
          // The cluster's controller initializes nodes only where it runs.
          "cloud-provider": ctx.externalCloudProvider ? "external" : "",
          "server-tls-bootstrap": false,
          "hostname-override-source": NODE_NAME_SOURCE,
        }
      : join.clusterDnsIp !== undefined
        ? { "cluster-dns-ip": join.clusterDnsIp }
        : {}),
    ...(o.maxPods !== undefined && { "max-pods": o.maxPods }),
    ...(Object.keys(ctx.node.labels).length > 0 && { "node-labels": ctx.node.labels }),
    ...(Object.keys(taints).length > 0 && { "node-taints": taints }),
  };
  const settings = {
    settings: {
      kubernetes,
      "host-containers": {
        admin: { enabled: o.adminContainer },
        control: { enabled: o.controlContainer },
      },
      ...(Object.keys(o.sysctls).length > 0 && { kernel: { sysctl: o.sysctls } }),
    },
  };
  return mergePatch(settings as Json, { settings: o.extraSettings } as Json) as Record<
    string,
    unknown
  >;
}

/** TOML as Bottlerocket reads it from user data; key order as built, so the same input gives the same bytes. */
export function renderSettings(settings: Record<string, unknown>): string {
  return `${renderToml(settings)}\n`;
}
