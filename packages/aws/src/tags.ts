/**
 * Tags on every AWS resource of a cluster: the user's, minos' own, and the
 * Kubernetes ownership tag the AWS cloud provider and load-balancer
 * controller look for.
 */
export function clusterTags(
  cluster: string,
  user: Record<string, string>,
  name?: string,
): Record<string, string> {
  return {
    ...user,
    "minos:cluster": cluster,
    [`kubernetes.io/cluster/${cluster}`]: "owned",
    ...(name !== undefined && { Name: name }),
  };
}
