/**
 * GCE labels: lowercase letters, digits, `_` and `-`, at most 63 characters.
 * User tags are folded into that alphabet; `minos-cluster` names the cluster.
 */
export function clusterLabels(
  cluster: string,
  tags: Record<string, string>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const fold = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9_-]/g, "_")
      .slice(0, 63);
  const user = Object.fromEntries(
    Object.entries(tags).map(([k, v]) => [fold(/^[a-z]/i.test(k) ? k : `t_${k}`), fold(v)]),
  );
  return { ...user, "minos-cluster": cluster, ...extra };
}

/** Network tags that firewall rules target. */
export const nodeTag = (cluster: string) => `${cluster}-node`;
export const controlPlaneTag = (cluster: string) => `${cluster}-control-plane`;
