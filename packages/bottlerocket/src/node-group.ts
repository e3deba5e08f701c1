import type { Arch, ClusterRef, NodePoolArgs } from "@minos/core";
import { checkClusterRef, MinosError, NodeGroup, optionKeys, refuseUnknownKeys } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import type { BottlerocketOptions } from "./node-os.js";
import { bottlerocketOs } from "./node-os.js";
import { unsupported } from "./node-renderer.js";
import { bottlerocketVariant } from "./variants.js";

/** Arguments of a BottlerocketNodeGroup. */
export interface BottlerocketNodeGroupArgs extends BottlerocketOptions {
  /**
   * The cluster to join, on AWS: a minos cluster made in this program, any
   * `ClusterRef` (one made in another stack), or an EKS cluster as
   * `eksCluster(...)` from `@minos/aws` makes it. Its Kubernetes version
   * picks the variant, and its `osUpdates` how the pools roll.
   */
  cluster: ClusterRef;
  /** Worker pools by name. At least one. */
  nodePools: Record<string, NodePoolArgs>;
  /** CPU architecture. Default `amd64`. */
  arch?: Arch;
  /** Tags on every resource. Default none. */
  tags?: Record<string, string>;
}

/**
 * Bottlerocket worker pools joining a cluster someone else runs: a minos
 * cluster (through its join information, in its own network and firewall;
 * the nodes take their pool's bootstrap token), or one that admits nodes by
 * their platform identity, EKS (its nodes keep the variant's EKS defaults
 * and authenticate with their IAM role). AWS only.
 */
export class BottlerocketNodeGroup extends NodeGroup {
  /** The variant the nodes run, e.g. `aws-k8s-1.35`. */
  readonly variant: string;

  constructor(
    name: string,
    args: BottlerocketNodeGroupArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    if (typeof args !== "object" || args === null)
      throw new MinosError("args", args, "pass { cluster, nodePools, ... }");
    refuseMovedKeys(args);
    refuseUnknownKeys("", args, NODE_GROUP_KEYS);
    const cluster = checkClusterRef(args.cluster);
    if (cluster.platform.name !== "aws") throw unsupported(cluster.platform.name);
    // The cluster's release picks the variant: a node's kubelet must match its minor.
    const variant = bottlerocketVariant(
      cluster.kubernetesVersion,
      args.flavor ?? "standard",
      "cluster.kubernetesVersion",
    );
    const os = bottlerocketOs(
      args,
      cluster.nodeAuth === "platform" ? { kind: "eks" } : { kind: "bootstrap-token" },
      cluster.kubernetesVersion,
    );
    super(
      "minos:bottlerocket:BottlerocketNodeGroup",
      name,
      os,
      {
        cluster,
        nodePools: args.nodePools,
        ...(args.arch !== undefined && { arch: args.arch }),
        ...(args.tags && { tags: args.tags }),
      },
      opts,
      () => ({ variant }),
    );
    this.variant = variant;
  }
}

/** What a BottlerocketNodeGroup takes: anything else is a typo, or another OS's option. */
const NODE_GROUP_KEYS = optionKeys<BottlerocketNodeGroupArgs>({
  cluster: true,
  nodePools: true,
  arch: true,
  tags: true,
  flavor: true,
  amiId: true,
  controlContainer: true,
  adminContainer: true,
  maxPods: true,
  sysctls: true,
  extraSettings: true,
});

/** Options the cluster to join now carries, refused with where they went. */
function refuseMovedKeys(args: object): void {
  for (const key of ["kubernetesVersion", "osUpdates"] as const) {
    const value = (args as Record<string, unknown>)[key];
    if (value !== undefined)
      throw new MinosError(
        key,
        value,
        `leave it unset: the pools follow the cluster's ${key} (for EKS, give it to eksCluster(...) from @minos/aws)`,
      );
  }
}
