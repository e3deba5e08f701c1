import type { PlannedGroup, PoolRollout, RolloutAmount } from "@minos/core";
import { groupArgument, MinosError, rolloutArgs } from "@minos/core";

/** An instance refresh's bounds, in percent of the group's desired capacity. */
export interface RefreshBounds {
  minHealthyPercentage: number;
  maxHealthyPercentage: number;
}

/**
 * A pool's rollout in AWS's terms. A number of machines becomes the
 * percentage of the pool's `count` that covers at least that many: AWS
 * rounds the healthy minimum up and the maximum down. The default surge is
 * a tenth of the pool and at least one machine, within what the unavailable
 * share leaves (AWS takes at most 100 points between the bounds).
 */
export function refreshBounds(rollout: PoolRollout | undefined, count: number): RefreshBounds {
  const size = Math.max(1, count);
  const percent = (a: RolloutAmount) =>
    "percent" in a ? a.percent : Math.min(100, Math.ceil((100 * a.machines) / size));
  const unavailable = rollout?.maxUnavailable ? percent(rollout.maxUnavailable) : 0;
  const surge = rollout?.maxSurge
    ? percent(rollout.maxSurge)
    : Math.min(100 - unavailable, Math.max(10, Math.ceil(100 / size)));
  return { minHealthyPercentage: 100 - unavailable, maxHealthyPercentage: 100 + surge };
}

/** Refuses a rollout AWS cannot run: its bounds may lie at most 100 points apart. */
export function checkAwsRollouts(groups: readonly PlannedGroup[]): void {
  for (const g of groups) {
    if (!g.rollout) continue;
    const { minHealthyPercentage: min, maxHealthyPercentage: max } = refreshBounds(
      g.rollout,
      g.count,
    );
    if (max - min > 100)
      throw new MinosError(
        groupArgument(g, "rollout"),
        rolloutArgs(g.rollout),
        `on AWS maxSurge and maxUnavailable may come to at most 100% of the pool together; these come to ${max - min}% of its count ${g.count}`,
      );
  }
}
