import type { ClusterArgs } from "@minos/core";
import { Cluster } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import type { FlatcarOptions } from "./node-os.js";
import { flatcarOs } from "./node-os.js";
import { resolveSysext, sysextFileName } from "./sysext.js";

/** Arguments of a FlatcarCluster: the shared cluster arguments plus Flatcar's own. */
export interface FlatcarClusterArgs extends ClusterArgs, FlatcarOptions {}

/**
 * A Kubernetes cluster of Flatcar Container Linux nodes. kubeadm, kubelet and
 * kubectl come from Flatcar's Kubernetes sysext; containerd ships with
 * Flatcar. Every secret is made by the program and delivered in each node's
 * Ignition config, so nothing is ever copied over SSH.
 *
 * ```ts
 * const cluster = new FlatcarCluster("dev", {
 *   platform: kvm({}),
 *   controlPlane: { count: 1 },
 *   nodePools: { general: { count: 2 } },
 * });
 * export const kubeconfig = cluster.kubeconfig;
 * ```
 */
export class FlatcarCluster extends Cluster {
  constructor(name: string, args: FlatcarClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("minos:flatcar:FlatcarCluster", name, flatcarOs(args), args, opts);
    const file = sysextFileName(this.kubernetes, args.arch ?? "amd64");
    if (!resolveSysext("sysext", args.sysext).hashes[file]) {
      pulumi.log.warn(
        `The Kubernetes sysext ${file} is not pinned by hash; nodes fetch it over HTTPS unverified. ` +
          `Pin it with sysext.hashes["${file}"] = "sha256-<hex>" from the bakery's SHA256SUMS.`,
        this,
      );
    }
  }
}
