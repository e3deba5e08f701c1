import type { Arch, NodeSettings } from "../contracts/bootstrap.js";
import { ARCHES } from "../contracts/bootstrap.js";
import type { ClusterCni } from "../contracts/cni.js";
import type { NodeRenderer } from "../contracts/node-os.js";
import type { OsUpdates } from "../contracts/os-updates.js";
import type { PoolRollout } from "../contracts/rollout.js";
import { MinosError } from "../errors.js";
import type { KubernetesVersion } from "../kubernetes-versions.js";
import { resolveKubernetesVersion } from "../kubernetes-versions.js";
import { parseCidr, validateDisjoint } from "../validation/cidr.js";
import {
  validateControlPlaneCount,
  validateDiskGiB,
  validatePoolSize,
  validateScaling,
} from "../validation/counts.js";
import { optionKeys, refuseUnknownKeys } from "../validation/keys.js";
import type { Taint } from "../validation/labels.js";
import { validateLabels, validateTaints } from "../validation/labels.js";
import { validateClusterName, validatePoolName } from "../validation/names.js";
import {
  validateCertSans,
  validateKubeletArgs,
  validateSshKeys,
} from "../validation/node-settings.js";
import { validateOsUpdates } from "../validation/os-updates.js";
import { validateRollout } from "../validation/rollout.js";
import { validateTags } from "../validation/tags.js";
import type {
  ClusterArgs,
  ControlPlaneArgs,
  NodeGroupSettingsArgs,
  NodePoolArgs,
  PoolTokenArgs,
} from "./args.js";

/** What ClusterArgs, the control plane and a pool take: anything else is a typo. */
const CLUSTER_KEYS = optionKeys<ClusterArgs>({
  platform: true,
  kubernetesVersion: true,
  arch: true,
  controlPlane: true,
  nodePools: true,
  podCidr: true,
  serviceCidr: true,
  certSans: true,
  sshAuthorizedKeys: true,
  tags: true,
  expiresAt: true,
  cni: true,
  osUpdates: true,
  readiness: true,
});
const READINESS_KEYS = optionKeys<NonNullable<ClusterArgs["readiness"]>>({
  waitFor: true,
  timeoutSeconds: true,
});
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

export const DEFAULT_POD_CIDR = "10.244.0.0/16";
export const DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
export const API_PORT = 6443;
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

/** ClusterArgs with every default applied and every value checked. */
export interface ResolvedCluster {
  name: string;
  /** The Kubernetes release, parsed once and checked against the OS's range. */
  kubernetes: KubernetesVersion;
  arch: Arch;
  podCidr: string;
  serviceCidr: string;
  certSans: string[];
  tags: Record<string, string>;
  osUpdates: OsUpdates;
  cni: ClusterCni;
  controlPlane: ResolvedGroup;
  pools: ResolvedGroup[];
}

/**
 * Applies defaults and validates everything a cluster was given. Runs before
 * any resource exists; the first bad value throws a MinosError naming it.
 */
export function resolveClusterArgs(
  name: string,
  os: NodeRenderer,
  args: ClusterArgs,
): ResolvedCluster {
  validateClusterName("name", name);
  if (!args || typeof args.platform !== "object" || args.platform === null) {
    throw new MinosError(
      "platform",
      args?.platform,
      "pass a platform, e.g. aws({...}), gcp({...}) or kvm({...})",
    );
  }
  // The OS's own options ride in the same object; without their list, only ours are known.
  if (os.optionKeys) refuseUnknownKeys("", args, [...CLUSTER_KEYS, ...os.optionKeys]);
  if (!os.platforms.includes(args.platform.name)) {
    throw new MinosError(
      "platform",
      args.platform.name,
      `${os.name} runs on ${os.platforms.join(", ")}`,
    );
  }
  const kubernetes = resolveKubernetesVersion(args.kubernetesVersion, os.kubernetes);
  const arch = args.arch ?? "amd64";
  if (!ARCHES.includes(arch)) throw new MinosError("arch", arch, `use ${ARCHES.join(" or ")}`);

  const pod = parseCidr("podCidr", args.podCidr ?? DEFAULT_POD_CIDR, 8, 24);
  const service = parseCidr("serviceCidr", args.serviceCidr ?? DEFAULT_SERVICE_CIDR, 12, 24);
  validateDisjoint({ podCidr: pod, serviceCidr: service });

  const sshAuthorizedKeys = validateSshKeys("sshAuthorizedKeys", args.sshAuthorizedKeys);
  const cp = args.controlPlane ?? {};
  if (typeof cp === "object" && cp !== null)
    refuseUnknownKeys("controlPlane", cp, CONTROL_PLANE_KEYS);
  const cpTaints = validateTaints("controlPlane.taints", cp.taints);
  if (cp.schedulable !== undefined && typeof cp.schedulable !== "boolean")
    throw new MinosError("controlPlane.schedulable", cp.schedulable, "use true or false");
  const cpCount = validateControlPlaneCount("controlPlane.count", cp.count ?? 1);
  const controlPlane: ResolvedGroup = {
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

  const pools = resolvePools(args.nodePools, sshAuthorizedKeys);

  if (args.cni !== undefined && !["flannel", "cilium", "none"].includes(args.cni)) {
    throw new MinosError("cni", args.cni, 'use "flannel", "cilium" or "none"');
  }
  const plugin = args.cni ?? "flannel";
  const cni: ClusterCni = {
    plugin,
    deployedBy: plugin === "none" ? "user" : os.providesCni?.(plugin) ? "os" : "minos",
  };
  const readiness = args.readiness ?? {};
  if (typeof readiness !== "object" || readiness === null || Array.isArray(readiness))
    throw new MinosError(
      "readiness",
      readiness,
      'use { waitFor?: "api" | "nodes", timeoutSeconds? }',
    );
  refuseUnknownKeys("readiness", readiness, READINESS_KEYS);
  const waitFor = readiness.waitFor;
  if (waitFor !== undefined && waitFor !== "api" && waitFor !== "nodes")
    throw new MinosError("readiness.waitFor", waitFor, 'use "api" or "nodes"');
  const timeout = readiness.timeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 30 || timeout > 7200)) {
    throw new MinosError(
      "readiness.timeoutSeconds",
      timeout,
      "use a whole number of seconds from 30 to 7200",
    );
  }

  const osUpdates = validateOsUpdates("osUpdates", args.osUpdates);
  os.validate?.({ platform: args.platform.name, kubernetes, arch, osUpdates, cni });

  return {
    name,
    kubernetes,
    arch,
    podCidr: pod.text,
    serviceCidr: service.text,
    certSans: validateCertSans("certSans", args.certSans),
    tags: {
      ...validateTags("tags", args.tags),
      ...(args.expiresAt !== undefined && {
        [EXPIRES_AT_TAG]: validateExpiresAt("expiresAt", args.expiresAt),
      }),
    },
    osUpdates,
    cni,
    controlPlane,
    pools,
  };
}

/** The tag that says when a short-lived cluster may be deleted. */
export const EXPIRES_AT_TAG = "minos:expires-at";

/** An ISO 8601 UTC time to the second: the form a nightly cleanup compares. */
function validateExpiresAt(argument: string, value: unknown): string {
  if (
    typeof value !== "string" ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) ||
    Number.isNaN(Date.parse(value)) ||
    new Date(value).toISOString().slice(0, 19) !== value.slice(0, 19)
  )
    throw new MinosError(argument, value, 'use an ISO 8601 UTC time like "2026-11-27T06:00:00Z"');
  return value;
}

/**
 * Checks the pod and service networks against the nodes' own network. The
 * platform's network comes first, so the error names the cluster argument
 * that overlaps it.
 */
export function validateNodeCidr(resolved: ResolvedCluster, nodeCidr: string | undefined): void {
  if (nodeCidr === undefined) return;
  validateDisjoint({
    "the platform's node network": parseCidr("platform node network", nodeCidr),
    podCidr: parseCidr("podCidr", resolved.podCidr),
    serviceCidr: parseCidr("serviceCidr", resolved.serviceCidr),
  });
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
