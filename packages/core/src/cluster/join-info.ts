import type { OsUpdates } from "../contracts/os-updates.js";
import type { SiteIds } from "../contracts/platform.js";

/**
 * What a node that did not create a cluster needs to join it. Every minos
 * cluster exposes one as `cluster.join` (a secret); NodeGroups take it, in
 * the same program or, through a StackReference, in another.
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
  /** The platform's ids for the cluster's network (`Site.ids`), where joining machines go. */
  site: SiteIds;
}
