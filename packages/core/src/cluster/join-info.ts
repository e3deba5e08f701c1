import type { OsUpdates } from "../contracts/os-updates.js";

/**
 * What a node that did not create a cluster needs to join it. Every minos
 * cluster exposes one as `cluster.join` (a secret); NodeGroups take it.
 */
export interface JoinInfo {
  clusterName: string;
  kubernetesVersion: string;
  endpoint: { host: string; port: number };
  podCidr: string;
  serviceCidr: string;
  caCertPem: string;
  bootstrapToken: string;
  caCertHash: string;
  /** How the cluster's nodes take OS updates; joining nodes follow it. */
  osUpdates: OsUpdates;
}
