/** A number of machines, or a share of a pool's size in percent. */
export type RolloutAmount = { machines: number } | { percent: number };

/**
 * How a worker pool's running machines are replaced when its template
 * changes, as the user set it (checked; unset amounts are absent). A
 * platform applies its own defaults: nothing unavailable, and its smallest
 * surge that always makes progress.
 */
export interface PoolRollout {
  /** Machines made above the pool's size at a time, before old ones go. */
  maxSurge?: RolloutAmount;
  /** Machines that may be missing at a time. */
  maxUnavailable?: RolloutAmount;
}

/**
 * What a new image means for a worker pool's running machines. `roll`: the
 * template follows the image, and the pool rolls as for any other change.
 * `keep`: the template keeps the image the pool was made with, since the OS
 * moves its machines to new releases itself (a release each week would
 * otherwise replace every machine for nothing). `launch`: OS updates are
 * off, so a release must not replace running machines; where the platform
 * can resolve a moving image as each machine launches (an AWS SSM
 * parameter, a GCE image family) the template names that, otherwise it
 * follows the image as with `roll` (a pinned image changes only when the
 * program changes it).
 */
export type ImageUpdates = "roll" | "keep" | "launch";
