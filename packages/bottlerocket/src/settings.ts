import {
  type BootstrapContext,
  type Json,
  mergePatch,
  nthAddress,
  parseCidr,
  renderToml,
} from "@minos/core";

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
 * no cloud provider (nothing runs the AWS cloud controller that would lift
 * its "uninitialized" taint), and no serving-certificate bootstrap (nothing
 * approves those CSRs). Joining EKS: the cluster's name, endpoint and CA.
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
    "api-server": `https://${ctx.endpoint.host}:${ctx.endpoint.port}`,
    "cluster-certificate": Buffer.from(ctx.join.caCertPem).toString("base64"),
    ...(join.kind === "bootstrap-token"
      ? {
          "authentication-mode": "tls",
          "bootstrap-token": ctx.join.bootstrapToken,
          "cluster-dns-ip": nthAddress(parseCidr("serviceCidr", ctx.serviceCidr), 10),
          "cloud-provider": "",
          "server-tls-bootstrap": false,
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
