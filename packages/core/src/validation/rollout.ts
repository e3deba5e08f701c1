import type { RolloutAmountArg, RolloutArgs } from "../cluster/args.js";
import type { PoolRollout, RolloutAmount } from "../contracts/rollout.js";
import { MinosError } from "../errors.js";
import { MAX_POOL_SIZE } from "./counts.js";
import { optionKeys, refuseUnknownKeys } from "./keys.js";

const ROLLOUT_KEYS = optionKeys<RolloutArgs>({ maxSurge: true, maxUnavailable: true });
const PERCENT = /^(\d{1,3})%$/;

/** Checks a pool's `rollout`; absent stays absent, so a platform can tell "unset" apart. */
export function validateRollout(argument: string, value: unknown): PoolRollout | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new MinosError(
      argument,
      value,
      'use { maxSurge?, maxUnavailable? }, e.g. { maxSurge: "25%" }',
    );
  refuseUnknownKeys(argument, value, ROLLOUT_KEYS);
  const { maxSurge, maxUnavailable } = value as Record<string, unknown>;
  const rollout: PoolRollout = {
    ...(maxSurge !== undefined && { maxSurge: amount(`${argument}.maxSurge`, maxSurge) }),
    ...(maxUnavailable !== undefined && {
      maxUnavailable: amount(`${argument}.maxUnavailable`, maxUnavailable),
    }),
  };
  // Nothing above the size and nothing missing: no machine could ever be replaced.
  if (isZero(rollout.maxSurge) && isZero(rollout.maxUnavailable ?? { machines: 0 }))
    throw new MinosError(
      argument,
      value,
      "let the pool grow (maxSurge) or shrink (maxUnavailable) by at least one machine, or no machine can be replaced",
    );
  return rollout;
}

function amount(argument: string, value: unknown): RolloutAmount {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_POOL_SIZE)
    return { machines: value };
  const percent = typeof value === "string" ? PERCENT.exec(value) : null;
  if (percent && Number(percent[1]) <= 100) return { percent: Number(percent[1]) };
  throw new MinosError(
    argument,
    value,
    `use a number of machines from 0 to ${MAX_POOL_SIZE} or a percentage of the pool from "0%" to "100%"`,
  );
}

const isZero = (a: RolloutAmount | undefined) =>
  a !== undefined && ("machines" in a ? a.machines : a.percent) === 0;

/** A checked rollout as the user wrote it, for errors that name its values. */
export function rolloutArgs(rollout: PoolRollout): RolloutArgs {
  const arg = (a: RolloutAmount): RolloutAmountArg =>
    "machines" in a ? a.machines : `${a.percent}%`;
  return {
    ...(rollout.maxSurge && { maxSurge: arg(rollout.maxSurge) }),
    ...(rollout.maxUnavailable && { maxUnavailable: arg(rollout.maxUnavailable) }),
  };
}
