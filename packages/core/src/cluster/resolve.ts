import type { Arch } from "../contracts/bootstrap.js";
import { ARCHES } from "../contracts/bootstrap.js";
import type { ClusterCni } from "../contracts/cni.js";
import type { NodeRenderer } from "../contracts/node-os.js";
import type { OsUpdates } from "../contracts/os-updates.js";
import type { PlatformServices } from "../contracts/platform-services.js";
import { MinosError } from "../errors.js";
import type { KubernetesVersion } from "../kubernetes-versions.js";
import { resolveKubernetesVersion } from "../kubernetes-versions.js";
import { parseCidr, validateDisjoint } from "../validation/cidr.js";
import { validateExpiresAt } from "../validation/expiry.js";
import { optionKeys, refuseUnknownKeys } from "../validation/keys.js";
import { validateClusterName } from "../validation/names.js";
import { validateCertSans, validateSshKeys } from "../validation/node-settings.js";
import { validateOsUpdates } from "../validation/os-updates.js";
import { resolvePlatformServices } from "../validation/platform-services.js";
import { validateTags } from "../validation/tags.js";
import type { ClusterArgs } from "./args.js";
import { localVolumesOf } from "./local-volumes.js";
import type { ResolvedGroup } from "./resolve-groups.js";
import { resolveControlPlane, resolvePools } from "./resolve-groups.js";

/** What ClusterArgs take: anything else is a typo. */
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
  platformServices: true,
  readiness: true,
});
const READINESS_KEYS = optionKeys<NonNullable<ClusterArgs["readiness"]>>({
  waitFor: true,
  timeoutSeconds: true,
});

export const DEFAULT_POD_CIDR = "10.244.0.0/16";
export const DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
export const API_PORT = 6443;

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
  /** Where nodes keep volumes on their own disks (`localVolumesOf`); absent where they keep none. */
  localVolumes?: string;
  /** What the cluster takes from its platform, resolved against what the platform offers. */
  services: PlatformServices;
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
  const controlPlane = resolveControlPlane(args.controlPlane, sshAuthorizedKeys);
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
  const services = resolvePlatformServices(
    "platformServices",
    args.platformServices,
    args.platform,
    os.unavailableServices?.(args.platform.name),
  );
  // Told to nodes even with volumes off: a provisioner the user brings may use it.
  const localVolumes = localVolumesOf(args.platform, os);

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
    ...(localVolumes !== undefined && { localVolumes }),
    services,
  };
}

/** The tag that says when a short-lived cluster may be deleted. */
export const EXPIRES_AT_TAG = "minos:expires-at";

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
