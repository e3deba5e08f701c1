/** The ownership tag the AWS cloud controller filters its cluster's resources by. */
export function kubernetesClusterTag(cluster: string): string {
  return `kubernetes.io/cluster/${cluster}`;
}

/**
 * Tags on every AWS resource of a cluster: the user's, minos' own, and the
 * Kubernetes ownership tag (`kubernetes.io/cluster/<cluster>: owned`) the
 * AWS cloud controller, the EBS CSI driver and the load-balancer
 * controller look for. The cluster's name is its cluster ID there too
 * (`KubernetesClusterID` in the cloud controller's config).
 */
export function clusterTags(
  cluster: string,
  user: Record<string, string>,
  name?: string,
): Record<string, string> {
  return { ...minosTags(cluster, user, name), [kubernetesClusterTag(cluster)]: "owned" };
}

/**
 * The user's and minos' tags without the Kubernetes ownership tag: for a
 * security group that must not look like the nodes' own to the cloud
 * controller, which refuses an instance with two tagged groups.
 */
export function minosTags(
  cluster: string,
  user: Record<string, string>,
  name?: string,
): Record<string, string> {
  return { ...user, "minos:cluster": cluster, ...(name !== undefined && { Name: name }) };
}

/** The tag every cluster-autoscaler's default auto-discovery looks for. */
export const AUTOSCALER_ENABLED_TAG = "k8s.io/cluster-autoscaler/enabled";

/** The tag that keeps one cluster's autoscaler to its own groups (and its IAM to them). */
export function autoscalerClusterTag(cluster: string): string {
  return `k8s.io/cluster-autoscaler/${cluster}`;
}

/**
 * cluster-autoscaler's discovery tags for an autoscaled pool's group (its
 * AWS README, "Auto-Discovery Setup"; found by key, whatever the value),
 * each only where it is true: `k8s.io/cluster-autoscaler/<cluster>`, whose
 * group it is, on every autoscaled pool, and
 * `k8s.io/cluster-autoscaler/enabled` only when an autoscaler of the cluster
 * sizes it. A cluster-autoscaler of your own finds the pools by the first
 * alone (`--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/<cluster>`).
 */
export function autoscalerDiscoveryTags(
  cluster: string,
  autoscaler: boolean,
): Record<string, string> {
  return {
    [autoscalerClusterTag(cluster)]: "owned",
    ...(autoscaler && { [AUTOSCALER_ENABLED_TAG]: "true" }),
  };
}
