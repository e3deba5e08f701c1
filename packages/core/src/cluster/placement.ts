import type { NodeOs } from "../contracts/node-os.js";
import type { Platform, PlatformClusterInfo } from "../contracts/platform.js";
import { MinosError } from "../errors.js";
import { claimAddresses } from "./address-spaces.js";
import type { GroupPlan } from "./pipeline.js";
import { claimClusterName } from "./program-names.js";
import type { ResolvedCluster } from "./resolve.js";
import { API_PORT, validateNodeCidr } from "./resolve.js";

/** A cluster as its platform is told it, and whether its API is a virtual address. */
export interface Placement {
  /** What the platform's `validate`, `virtualIp` and `site` are told. */
  info: PlatformClusterInfo;
  /** The endpoint is an address the control-plane nodes hold themselves (`Platform.virtualIp`). */
  virtualIp: boolean;
}

/**
 * Places a cluster on its platform and in the program, before anything
 * exists: the platform is told every planned group (with how the OS
 * delivers each one's config) and refuses what it cannot build; a virtual
 * API address goes only to an OS that can hold one; the pod and service
 * networks stay off the nodes' own. Last, a cluster valid in every other
 * way takes its networks in the platform's address space and its name in
 * the program.
 */
export function placeCluster(
  type: string,
  os: NodeOs,
  platform: Platform,
  cluster: ResolvedCluster,
  plan: readonly GroupPlan[],
): Placement {
  const info: PlatformClusterInfo = {
    name: cluster.name,
    controlPlaneCount: cluster.controlPlane.count,
    apiPort: API_PORT,
    controlPlanePorts: [...(os.controlPlanePorts ?? [])],
    sshEnabled: cluster.controlPlane.settings.sshAuthorizedKeys.length > 0,
    tags: cluster.tags,
    arch: cluster.arch,
    services: cluster.services,
    groups: plan.map((g) => ({
      ...g.planned,
      delivery: os.delivery(platform.name, g.planned.role).kind,
    })),
  };
  platform.validate?.(info);
  const virtualIp = platform.virtualIp?.(info) ?? false;
  if (virtualIp && !os.holdsVirtualIp)
    throw new MinosError(
      "controlPlane.count",
      info.controlPlaneCount,
      `${platform.name} has no load balancer: several control-plane nodes hold a virtual API address there, which ${os.name} does not; use 1`,
    );
  validateNodeCidr(cluster, platform.nodeCidr);
  // Last: only a cluster that is otherwise valid holds its networks.
  claimAddresses(cluster, platform);
  // Only a cluster valid in every other way takes its name.
  claimClusterName(cluster.name, type);
  return { info, virtualIp };
}
