import type {
  BootstrapContext,
  ClusterSecretMaterial,
  NodeRole,
  PlatformName,
} from "../contracts/bootstrap.js";
import type { ResolvedCluster, ResolvedGroup } from "./resolve.js";

/**
 * Assembles what a NodeOs renders one role from. Control-plane material is
 * passed to control-plane roles only, so no worker payload can hold CA keys.
 */
export function bootstrapContext(
  cluster: ResolvedCluster,
  platform: PlatformName,
  role: NodeRole,
  group: ResolvedGroup,
  endpoint: { host: string; port: number },
  extraSans: readonly string[],
  material: ClusterSecretMaterial,
  osSecrets?: unknown,
): BootstrapContext {
  return {
    clusterName: cluster.name,
    kubernetesVersion: cluster.kubernetesVersion,
    endpoint,
    podCidr: cluster.podCidr,
    serviceCidr: cluster.serviceCidr,
    certSans: [...new Set([...cluster.certSans, ...extraSans])],
    platform,
    arch: cluster.arch,
    join: material.join,
    ...(role !== "worker" && { controlPlane: material.controlPlane }),
    node: group.settings,
    osUpdates: cluster.osUpdates,
    ...(osSecrets !== undefined && { osSecrets }),
  };
}
