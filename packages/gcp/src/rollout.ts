import type { PlannedGroup, PoolRollout, RolloutAmount } from "@minos/core";
import { groupArgument, MinosError } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import { PINNED_ZONES } from "./zones.js";

/** GCE takes a percentage only for a regional group of at least this many machines. */
const PERCENT_FROM = 10;

/**
 * Refuses what a regional managed instance group refuses, before anything
 * exists: a fixed surge or unavailable count must be 0 or at least the
 * zones the group spans (pinned to three), and a percentage needs a group of 10 or more.
 */
export function checkGcpRollouts(groups: readonly PlannedGroup[]): void {
  for (const g of groups) {
    for (const key of ["maxSurge", "maxUnavailable"] as const) {
      const amount = g.rollout?.[key];
      if (amount === undefined) continue;
      const argument = groupArgument(g, `rollout.${key}`);
      if ("machines" in amount && amount.machines > 0 && amount.machines < PINNED_ZONES)
        throw new MinosError(
          argument,
          amount.machines,
          `use 0 or at least ${PINNED_ZONES}, the zones every pool spans: a regional managed instance group takes no fewer`,
        );
      if ("percent" in amount && g.count < PERCENT_FROM)
        throw new MinosError(
          argument,
          `${amount.percent}%`,
          `use a number of machines: GCP takes a percentage only for pools of at least ${PERCENT_FROM} (this one has ${g.count})`,
        );
    }
  }
}

/**
 * A pool's proactive update policy: a new template replaces every machine,
 * new ones first (REPLACE: a fresh disk, so the first-boot payload runs
 * again; metadata alone would reach running machines without being read). The default surge is one machine per zone the
 * group spans, GCE's own default and its smallest fixed step; nothing is
 * unavailable unless the rollout says so.
 */
export function updatePolicy(rollout: PoolRollout | undefined, zones: pulumi.Output<string[]>) {
  const fixedOrPercent = (name: "maxSurge" | "maxUnavailable", a: RolloutAmount) =>
    "percent" in a ? { [`${name}Percent`]: a.percent } : { [`${name}Fixed`]: a.machines };
  return {
    type: "PROACTIVE",
    minimalAction: "REPLACE",
    replacementMethod: "SUBSTITUTE",
    ...(rollout?.maxSurge
      ? fixedOrPercent("maxSurge", rollout.maxSurge)
      : { maxSurgeFixed: zones.apply((z) => z.length) }),
    ...fixedOrPercent("maxUnavailable", rollout?.maxUnavailable ?? { machines: 0 }),
  };
}
