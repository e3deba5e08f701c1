import type { OsUpdates } from "../contracts/os-updates.js";
import type { SiteIds } from "../contracts/platform.js";

/**
 * What a node that did not create a cluster needs to join it. Every minos
 * cluster exposes one as `cluster.join` (a secret); NodeGroups take it, in
 * the same program or, through a StackReference, in another. It holds no
 * token: a node group makes each of its pools one, in the cluster.
 */
export interface JoinInfo {
  clusterName: string;
  /**
   * The release the cluster's control plane is known to run (its version
   * gate's): nodes that join render it, so they never lead the control plane.
   */
  kubernetesVersion: string;
  endpoint: { host: string; port: number };
  podCidr: string;
  serviceCidr: string;
  caCertPem: string;
  caCertHash: string;
  /**
   * The group a node bootstrap token carries in this cluster
   * (`auth-extra-groups`): what its control plane binds node bootstrapping
   * to. Default kubeadm's `system:bootstrappers:kubeadm:default-node-token`.
   */
  bootstrapTokenGroup?: string;
  /** How the cluster's nodes take OS updates; joining nodes follow it. */
  osUpdates: OsUpdates;
  /** The platform's ids for the cluster's network (`Site.ids`), where joining machines go. */
  site: SiteIds;
}
