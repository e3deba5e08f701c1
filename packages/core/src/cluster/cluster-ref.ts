import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Arch } from "../contracts/bootstrap.js";
import type { ClusterCni, CniName } from "../contracts/cni.js";
import type { ClusterRequest } from "../contracts/node-os.js";
import type { OsUpdates } from "../contracts/os-updates.js";
import type { Platform } from "../contracts/platform.js";
import { MinosError } from "../errors.js";
import { parseKubernetesVersion } from "../kubernetes-versions.js";
import { validateOsUpdates } from "../validation/os-updates.js";
import type { JoinInfo } from "./join-info.js";

/**
 * How a cluster admits a node that joins it: `bootstrap-token`, the token
 * a node group makes for each pool in the cluster (every minos cluster), or
 * `platform`, the machine's identity on its platform, which the platform's
 * join site maps into the cluster (EKS: the node role and its access entry).
 */
export type NodeAuth = "bootstrap-token" | "platform";

/**
 * A cluster worker pools can join. Every minos `Cluster` is one; for a
 * cluster made in another stack, give its platform (configured as there)
 * and its exported `join` and facts; for EKS, `eksCluster` from
 * `@minos/aws` makes one.
 */
export interface ClusterRef {
  /**
   * The cluster's name, for the platform's cluster tags on the pools
   * (`kubernetes.io/cluster/<name>`, the autoscaler's discovery tag, GCE
   * labels). Default: the node group's own name.
   */
  name?: string;
  /** The platform the cluster runs on; its `joinSite` puts the pools in the cluster's network. */
  platform: Platform;
  /** The cluster's join information, e.g. a StackReference output (secret). */
  join: pulumi.Input<JoinInfo>;
  /**
   * The cluster's Kubernetes version, known before any resource exists: it
   * picks what the pools' OS offers (Bottlerocket's variant). It may not be
   * newer than the release `join` says the control plane runs, nor more
   * than three minors older (Kubernetes' version skew policy); the pools
   * render join's.
   */
  kubernetesVersion: string;
  /** The cluster's pod network. */
  cni: ClusterCni;
  /** How the cluster's nodes take OS updates; the pools follow it. */
  osUpdates: OsUpdates;
  /**
   * How the cluster admits the pools' nodes. With `platform`, the pools
   * take no bootstrap token and need no `provider`, and only an OS whose
   * workers take none can join. Default `bootstrap-token`.
   */
  nodeAuth?: NodeAuth;
  /**
   * A Kubernetes provider for the cluster, allowed to manage Secrets in
   * kube-system: each pool's bootstrap token is made in it
   * (`kube-system/bootstrap-token-<id>`), and the pool's machines wait for
   * it. A minos cluster gives its own (`cluster.provider`); for one in
   * another stack, make one from its kubeconfig. Required unless the pools
   * take no token (`nodeAuth: "platform"`, or an OS whose workers take none).
   */
  provider?: k8s.Provider;
}

/**
 * A cluster to join, checked before anything is made (a JavaScript caller
 * may pass anything): a node group's own checks, and an OS package's that
 * picks what its nodes run by the cluster (Bottlerocket's variant).
 */
export function checkClusterRef(cluster: unknown): ClusterRef {
  const ref = cluster as Partial<ClusterRef> | undefined;
  if (
    typeof ref !== "object" ||
    ref === null ||
    typeof ref.platform?.joinSite !== "function" ||
    ref.join === undefined ||
    typeof ref.kubernetesVersion !== "string" ||
    ref.cni === undefined ||
    ref.osUpdates === undefined
  )
    throw new MinosError(
      "cluster",
      cluster,
      "pass a minos cluster, or its platform, join, kubernetesVersion, cni and osUpdates",
    );
  if (ref.provider !== undefined && !k8s.Provider.isInstance(ref.provider))
    throw new MinosError(
      "cluster.provider",
      ref.provider,
      "pass a Kubernetes provider (new k8s.Provider(...)) for the cluster",
    );
  const cni = ref.cni as Partial<ClusterCni> | null;
  if (
    typeof cni !== "object" ||
    cni === null ||
    !CNI_PLUGINS.includes(cni.plugin as CniName) ||
    !CNI_DEPLOYERS.includes(cni.deployedBy as ClusterCni["deployedBy"])
  )
    throw new MinosError(
      "cluster.cni",
      ref.cni,
      `use { plugin, deployedBy } with plugin ${CNI_PLUGINS.join(", ")} and deployedBy ${CNI_DEPLOYERS.join(", ")}, as a minos cluster's cni`,
    );
  if (ref.nodeAuth !== undefined && !NODE_AUTHS.includes(ref.nodeAuth))
    throw new MinosError("cluster.nodeAuth", ref.nodeAuth, `use ${NODE_AUTHS.join(" or ")}`);
  validateOsUpdates("cluster.osUpdates", ref.osUpdates);
  return ref as ClusterRef;
}

const CNI_PLUGINS: readonly CniName[] = ["flannel", "cilium", "none"];
const CNI_DEPLOYERS: readonly ClusterCni["deployedBy"][] = ["minos", "os", "platform", "user"];
const NODE_AUTHS: readonly NodeAuth[] = ["bootstrap-token", "platform"];

/** What a node group asks of its OS when joining a cluster: that cluster's facts, its own arch. */
export function joinRequest(cluster: ClusterRef, arch: Arch): ClusterRequest {
  return {
    platform: cluster.platform.name,
    kubernetes: parseKubernetesVersion("cluster.kubernetesVersion", cluster.kubernetesVersion),
    arch,
    osUpdates: cluster.osUpdates,
    cni: cluster.cni,
    joining: true,
  };
}
