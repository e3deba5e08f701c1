import { MinosError } from "../errors.js";

/** The longest pool name. */
export const MAX_POOL_NAME = 16;

/**
 * The longest cluster name: the most that keeps every name minos derives
 * from it within its provider's limit. The tightest is a GCP worker group's
 * name, `<cluster>-worker-<pool>` plus Pulumi's 8-character auto-name suffix,
 * in GCP's 63. Names that must be unique per account, project or host (AWS
 * load balancers and target groups, GCP service accounts and instance
 * templates, libvirt objects) carry a stack hash and cut the cluster name to
 * fit, so they take any cluster name, one character included.
 */
export const MAX_CLUSTER_NAME = 63 - "-worker-".length - MAX_POOL_NAME - "-0a1b2c3".length;

/** A lowercase RFC 1035 label of 1 to `max` characters, as GCP names need. */
const label = (max: number) => new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`);

/** Cluster names: lowercase letters, digits and '-', 1 to `MAX_CLUSTER_NAME` characters. */
export const CLUSTER_NAME = label(MAX_CLUSTER_NAME);

/** Pool names are appended to the cluster name, so they are shorter still. */
export const POOL_NAME = label(MAX_POOL_NAME);

/** Prefixes a cloud keeps for itself: S3 bucket names (`xn--`), GCP names and labels (`goog`). */
const RESERVED = /^(xn--|goog)/;

function nameValidator(pattern: RegExp, allowed: string) {
  return (argument: string, value: unknown): string => {
    if (typeof value !== "string" || !pattern.test(value))
      throw new MinosError(argument, value, allowed);
    if (RESERVED.test(value))
      throw new MinosError(
        argument,
        value,
        'use a name that does not begin with "xn--" or "goog" (reserved by S3 and GCP)',
      );
    return value;
  };
}

const NAME_RULE =
  "lowercase letters, digits and '-', starting with a letter and not ending with '-'";

/** Checks a cluster name. */
export const validateClusterName = nameValidator(
  CLUSTER_NAME,
  `use 1-${MAX_CLUSTER_NAME} characters of ${NAME_RULE} (the longest that keeps every derived cloud name within its limit)`,
);

/** Checks a node pool name. */
export const validatePoolName = nameValidator(
  POOL_NAME,
  `use 1-${MAX_POOL_NAME} characters of ${NAME_RULE}`,
);
