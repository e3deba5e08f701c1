/**
 * GCE labels: lowercase letters, digits, `_` and `-`, at most 63 characters.
 * User tags are folded into that alphabet; `minos-cluster` names the cluster.
 */
export function clusterLabels(
  cluster: string,
  tags: Record<string, string>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const user = Object.fromEntries(
    Object.entries(tags).map(([k, v]) => [labelKey(k).slice(0, 63), labelValue(v).slice(0, 63)]),
  );
  return { ...user, "minos-cluster": cluster, ...extra };
}

/** Text in the label alphabet. */
const fold = (s: string) => s.toLowerCase().replace(/[^a-z0-9_-]/g, "_");

/** A tag's value as a label value, before GCE's 63-character cut. */
export const labelValue = fold;

/** A tag's key as a label key (which must start with a letter), before GCE's 63-character cut. */
export const labelKey = (key: string) => fold(/^[a-z]/i.test(key) ? key : `t_${key}`);

/** Network tags that firewall rules target. */
export const nodeTag = (cluster: string) => `${cluster}-node`;
export const controlPlaneTag = (cluster: string) => `${cluster}-control-plane`;
