import { MinosError } from "../errors.js";

/**
 * Cluster names become parts of cloud resource names: AWS load balancers allow
 * 32 characters, GCP resources need a lowercase RFC 1035 label. 24 characters
 * leave room for the longest suffix minos appends (`-api-tg`, `-worker-<pool>`).
 */
export const CLUSTER_NAME = /^[a-z]([-a-z0-9]{0,22}[a-z0-9])?$/;

/** Pool names are appended to the cluster name, so they are shorter still. */
export const POOL_NAME = /^[a-z]([-a-z0-9]{0,14}[a-z0-9])?$/;

function nameValidator(pattern: RegExp, allowed: string) {
  return (argument: string, value: unknown): string => {
    if (typeof value !== "string" || !pattern.test(value))
      throw new MinosError(argument, value, allowed);
    return value;
  };
}

const NAME_RULE =
  "lowercase letters, digits and '-', starting with a letter and not ending with '-'";

/** Checks a cluster name. */
export const validateClusterName = nameValidator(
  CLUSTER_NAME,
  `use 1-24 characters of ${NAME_RULE} (AWS and GCP reject other resource names)`,
);

/** Checks a node pool name. */
export const validatePoolName = nameValidator(POOL_NAME, `use 1-16 characters of ${NAME_RULE}`);
