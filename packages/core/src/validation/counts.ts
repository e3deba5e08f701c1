import { MinosError } from "../errors.js";

/** etcd needs an odd member count for a quorum; more than 7 only slows writes. */
export const CONTROL_PLANE_COUNTS = [1, 3, 5, 7] as const;

/** Upper bound on one pool; beyond it, split into pools (and check cloud quotas). */
export const MAX_POOL_SIZE = 5000;

export function validateControlPlaneCount(argument: string, value: unknown): number {
  if (!CONTROL_PLANE_COUNTS.includes(value as 1)) {
    throw new MinosError(
      argument,
      value,
      `use ${CONTROL_PLANE_COUNTS.join(", ")} (etcd needs an odd member count)`,
    );
  }
  return value as number;
}

export function validatePoolSize(argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_POOL_SIZE) {
    throw new MinosError(argument, value, `use a whole number from 0 to ${MAX_POOL_SIZE}`);
  }
  return value;
}

/** Checks `min <= desired <= max` for an autoscaled pool. */
export function validateScaling(argument: string, min: number, desired: number, max: number): void {
  if (!(min <= desired && desired <= max)) {
    throw new MinosError(
      argument,
      { minCount: min, count: desired, maxCount: max },
      "need minCount <= count <= maxCount",
    );
  }
}

/** Root disk size when a group names none. */
export const DEFAULT_DISK_GIB = 30;

/** Root disk size; clouds refuse less than ~10 GiB for these images and more than 16 TiB. */
export function validateDiskGiB(argument: string, value: unknown): number {
  if (value === undefined) return DEFAULT_DISK_GIB;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 10 || value > 16_384) {
    throw new MinosError(argument, value, "use a whole number of GiB from 10 to 16384");
  }
  return value;
}
