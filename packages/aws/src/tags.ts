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
