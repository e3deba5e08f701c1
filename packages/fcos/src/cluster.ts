import type { ClusterArgs } from "@minos/core";
import { Cluster } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import type { FcosOptions } from "./node-os.js";
import { fcosOs } from "./node-os.js";
import { sysextName } from "./sysext.js";

/** Arguments of an FcosCluster: the shared cluster arguments plus Fedora CoreOS's own. */
export interface FcosClusterArgs extends ClusterArgs, FcosOptions {}

/**
 * A Kubernetes cluster of Fedora CoreOS nodes. kubelet, kubeadm, kubectl and
 * CRI-O come from the community `kubernetes-cri-o-<minor>` system extension;
 * SELinux stays enforcing. Every secret is made by the program and delivered
 * in each node's Ignition config, so nothing is ever copied over SSH.
 *
 * ```ts
 * const cluster = new FcosCluster("dev", {
 *   platform: kvm({}),
 *   controlPlane: { count: 1 },
 *   nodePools: { general: { count: 2 } },
 * });
 * export const kubeconfig = cluster.kubeconfig;
 * ```
 */
export class FcosCluster extends Cluster {
  constructor(name: string, args: FcosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("minos:fcos:FcosCluster", name, fcosOs(args), args, opts);
    if (!args.sysext?.image) {
      pulumi.log.warn(
        `The ${sysextName(this.kubernetes)} sysext is not pinned: each node fetches the newest build ` +
          "for its Fedora release on first boot, checked only against the project's unsigned SHA256SUMS. " +
          "Pin the first build with sysext.image = { url, sha256 } from that build's SHA256SUMS.",
        this,
      );
    }
  }
}
