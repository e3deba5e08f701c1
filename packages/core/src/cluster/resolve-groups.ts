import type { NodeSettings } from "../contracts/bootstrap.js";
import type { PoolRollout } from "../contracts/rollout.js";
import { MinosError } from "../errors.js";
import {
  validateControlPlaneCount,
  validateDiskGiB,
  validatePoolSize,
  validateScaling,
} from "../validation/counts.js";
import { validateExpiresAt } from "../validation/expiry.js";
import { optionKeys, refuseUnknownKeys } from "../validation/keys.js";
import type { Taint } from "../validation/labels.js";
import { validateLabels, validateTaints } from "../validation/labels.js";
import { validatePoolName } from "../validation/names.js";
import { validateKubeletArgs } from "../validation/node-settings.js";
import { validateRollout } from "../validation/rollout.js";
import type {
  ControlPlaneArgs,
  NodeGroupSettingsArgs,
  NodePoolArgs,
  PoolTokenArgs,
} from "./args.js";

/** What the control plane and a pool take: anything else is a typo. */
const GROUP_KEYS = {
  machineType: true,
  labels: true,
  taints: true,
  kubeletExtraArgs: true,
  diskGiB: true,
} as const;
const CONTROL_PLANE_KEYS = optionKeys<ControlPlaneArgs>({
  ...GROUP_KEYS,
  count: true,
  schedulable: true,
});
const POOL_KEYS = optionKeys<NodePoolArgs>({
  ...GROUP_KEYS,
  count: true,
  minCount: true,
  maxCount: true,
  spot: true,
  rollout: true,
  bootstrapToken: true,
});
const POOL_TOKEN_KEYS = optionKeys<PoolTokenArgs>({ generation: true, expiresAt: true });

export const CONTROL_PLANE_POOL = "control-plane";
export const CONTROL_PLANE_TAINT: Taint = {
  key: "node-role.kubernetes.io/control-plane",
  effect: "NoSchedule",
};

/** A group of identical machines after defaults and validation. */
export interface ResolvedGroup {
  count: number;
  minCount: number;
  maxCount: number;
  spot: boolean;
  diskGiB: number;
  machineType?: string;
  /** A pool's rollout as the user set it; absent when unset (and for the control plane). */
  rollout?: PoolRollout;
  settings: NodeSettings;
  /** A worker pool's bootstrap token, where its arguments set one; defaults apply otherwise. */
  bootstrapToken?: ResolvedPoolToken;
}

/** A pool's bootstrap token options, checked. */
export interface ResolvedPoolToken {
  generation: number;
  expiresAt?: string;
}

/** The control plane's group: a fixed size, tainted unless `schedulable`. */
export function resolveControlPlane(
  controlPlaneArgs: ControlPlaneArgs | undefined,
  sshAuthorizedKeys: string[],
): ResolvedGroup {
  const cp = controlPlaneArgs ?? {};
  if (typeof cp === "object" && cp !== null)
    refuseUnknownKeys("controlPlane", cp, CONTROL_PLANE_KEYS);
  const cpTaints = validateTaints("controlPlane.taints", cp.taints);
  if (cp.schedulable !== undefined && typeof cp.schedulable !== "boolean")
    throw new MinosError("controlPlane.schedulable", cp.schedulable, "use true or false");
  const cpCount = validateControlPlaneCount("controlPlane.count", cp.count ?? 1);
  return {
    count: cpCount,
    minCount: cpCount,
    maxCount: cpCount,
    spot: false,
    diskGiB: validateDiskGiB("controlPlane.diskGiB", cp.diskGiB),
    ...(cp.machineType !== undefined && { machineType: cp.machineType }),
    settings: {
      ...settings("controlPlane", CONTROL_PLANE_POOL, cp, sshAuthorizedKeys),
      taints: cp.schedulable ? cpTaints : [CONTROL_PLANE_TAINT, ...cpTaints],
    },
  };
}

/** Validates worker pools and applies their defaults, sorted by name. */
export function resolvePools(poolArgs: unknown, sshAuthorizedKeys: string[]): ResolvedGroup[] {
  const all = poolArgs ?? {};
  if (typeof all !== "object" || Array.isArray(all)) {
    throw new MinosError("nodePools", all, "use an object of pool name to { count, ... }");
  }
  return Object.keys(all)
    .sort()
    .map((pool) => {
      validatePoolName("nodePools key", pool);
      if (pool === CONTROL_PLANE_POOL)
        throw new MinosError(
          "nodePools key",
          pool,
          "that name is the control plane's; pick another",
        );
      const p = (all as Record<string, NodePoolArgs | null>)[pool];
      if (typeof p !== "object" || p === null)
        throw new MinosError(
          `nodePools.${pool}`,
          p,
          "use { count, machineType?, labels?, taints? }",
        );
      const at = `nodePools.${pool}`;
      refuseUnknownKeys(at, p, POOL_KEYS);
      const count = validatePoolSize(`${at}.count`, p.count);
      const minCount = validatePoolSize(
        `${at}.minCount`,
        p.minCount ?? Math.min(count, p.maxCount ?? count),
      );
      const maxCount = validatePoolSize(`${at}.maxCount`, p.maxCount ?? Math.max(count, minCount));
      validateScaling(at, minCount, count, maxCount);
      if (p.spot !== undefined && typeof p.spot !== "boolean")
        throw new MinosError(`${at}.spot`, p.spot, "use true or false");
      const rollout = validateRollout(`${at}.rollout`, p.rollout);
      return {
        count,
        minCount,
        maxCount,
        spot: p.spot ?? false,
        diskGiB: validateDiskGiB(`${at}.diskGiB`, p.diskGiB),
        ...(p.machineType !== undefined && { machineType: p.machineType }),
        ...(rollout && { rollout }),
        settings: settings(`nodePools.${pool}`, pool, p, sshAuthorizedKeys),
        ...(p.bootstrapToken !== undefined && {
          bootstrapToken: resolvePoolToken(`${at}.bootstrapToken`, p.bootstrapToken),
        }),
      };
    });
}

/** A pool's token options: a generation to bump, an optional expiry. */
function resolvePoolToken(at: string, token: unknown): ResolvedPoolToken {
  if (typeof token !== "object" || token === null || Array.isArray(token))
    throw new MinosError(at, token, "use { generation?, expiresAt? }");
  refuseUnknownKeys(at, token, POOL_TOKEN_KEYS);
  const { generation = 0, expiresAt } = token as PoolTokenArgs;
  if (!Number.isSafeInteger(generation) || generation < 0)
    throw new MinosError(`${at}.generation`, generation, "use a whole number, 0 or more");
  if (expiresAt === undefined) return { generation };
  validateExpiresAt(`${at}.expiresAt`, expiresAt);
  // A past expiry makes a token the API server has already deleted: no node
  // of the pool could join, now or after any replacement.
  if (Date.parse(expiresAt) <= Date.now())
    throw new MinosError(
      `${at}.expiresAt`,
      expiresAt,
      "that time has passed, so the pool's nodes could never join; give a time in the future (and a new generation, to mint a fresh token)",
    );
  return { generation, expiresAt };
}

/** A group's node settings, checked. */
function settings(
  at: string,
  pool: string,
  g: NodeGroupSettingsArgs,
  sshAuthorizedKeys: string[],
): NodeSettings {
  if (
    g.machineType !== undefined &&
    (typeof g.machineType !== "string" || g.machineType.trim() === "")
  ) {
    throw new MinosError(
      `${at}.machineType`,
      g.machineType,
      "use the platform's machine type name, e.g. t3.medium",
    );
  }
  return {
    pool,
    labels: validateLabels(`${at}.labels`, g.labels),
    taints: validateTaints(`${at}.taints`, g.taints),
    kubeletExtraArgs: validateKubeletArgs(`${at}.kubeletExtraArgs`, g.kubeletExtraArgs),
    sshAuthorizedKeys,
  };
}
