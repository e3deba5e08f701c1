import type { ClusterCni } from "@minos/core/render";
import { MinosError } from "@minos/core/render";

/**
 * Refuses a cluster whose CNI would leave Bottlerocket pods without a
 * network: Flannel deployed by the cluster's OS (Talos), whose DaemonSet
 * copies only the CNI config because Talos nodes carry the `flannel` binary
 * in their image. Bottlerocket's CNI plugins (bottlerocket-core-kit
 * `packages/cni-plugins`: the containernetworking reference plugins) have no
 * `flannel`, so no pod sandbox would start. `/opt/cni/bin` is a writable
 * overlay there (`opt-cni.mount`), so a CNI whose DaemonSet installs its own
 * binary works: the Flannel minos deploys (its `install-cni-plugin` init
 * container) and Cilium (its agent's init container).
 */
export function checkClusterCni(cni: ClusterCni): void {
  if (cni.plugin === "flannel" && cni.deployedBy === "os")
    throw new MinosError(
      "cluster.cni",
      cni.plugin,
      "the cluster's OS deploys Flannel itself (as Talos does) without the flannel CNI binary, which Talos nodes carry and Bottlerocket does not ship, so pods on Bottlerocket nodes would get no network; " +
        'make the cluster with cni: "cilium" (minos then installs Cilium, whose agent puts its own CNI binary in Bottlerocket\'s writable /opt/cni/bin)',
    );
}
