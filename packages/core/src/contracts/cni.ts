/** The pod network plugins minos knows by name; `none` is the user's own. */
export type CniName = "flannel" | "cilium" | "none";

/**
 * The pod network a cluster runs and who deploys it, so a node group of
 * another OS can tell whether its nodes will get what the plugin needs.
 */
export interface ClusterCni {
  readonly plugin: CniName;
  /**
   * `minos`: from minos' pinned manifests through the cluster's provider;
   * each node gets the plugin's CNI binary from its DaemonSet. `os`: the
   * cluster's OS deploys it from its own manifests (Talos's Flannel, whose
   * DaemonSet installs only the CNI config: Talos carries the binary in its
   * image). `platform`: the platform runs its own (EKS's VPC CNI, with
   * plugin `none`: none minos knows). `user`: nothing is installed (`none`).
   */
  readonly deployedBy: "minos" | "os" | "platform" | "user";
}
