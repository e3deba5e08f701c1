import type {
  Arch,
  BootstrapContext,
  ClusterSecretMaterial,
  NodeRole,
  PlatformName,
} from "../contracts/bootstrap.js";
import { parseKubernetesVersion } from "../kubernetes-versions.js";
import type { JoinInfo } from "./join-info.js";
import type { ResolvedCluster } from "./resolve.js";
import type { ResolvedGroup } from "./resolve-groups.js";

/**
 * Assembles what a NodeOs renders one role from. Control-plane material is
 * passed to control-plane roles only, so no worker payload can hold CA keys.
 */
export function bootstrapContext(
  cluster: ResolvedCluster,
  platform: PlatformName,
  role: NodeRole,
  group: ResolvedGroup,
  endpoint: BootstrapContext["endpoint"],
  extraSans: readonly string[],
  material: ClusterSecretMaterial,
  osSecrets?: unknown,
): BootstrapContext {
  return {
    clusterName: cluster.name,
    kubernetes: cluster.kubernetes,
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
    ...(cluster.localVolumes !== undefined && { localVolumes: cluster.localVolumes }),
    ...(cluster.services.controller && { externalCloudProvider: true }),
  };
}

/**
 * A joining worker's context, from the cluster's join information and its
 * pool's own bootstrap token (`""` where the OS takes none): no
 * control-plane material, no certificate names. `localVolumes` as the
 * node group's platform and OS give it (`localVolumesOf`).
 */
export function joinContext(
  join: JoinInfo,
  platform: PlatformName,
  arch: Arch,
  pool: ResolvedGroup,
  bootstrapToken: string,
  localVolumes?: string,
): BootstrapContext {
  return {
    clusterName: join.clusterName,
    kubernetes: parseKubernetesVersion("join.kubernetesVersion", join.kubernetesVersion),
    endpoint: join.endpoint,
    podCidr: join.podCidr,
    serviceCidr: join.serviceCidr,
    certSans: [],
    platform,
    arch,
    join: {
      caCertPem: join.caCertPem,
      bootstrapToken,
      caCertHash: join.caCertHash,
    },
    node: pool.settings,
    osUpdates: join.osUpdates,
    ...(localVolumes !== undefined && { localVolumes }),
    ...(join.externalCloudProvider === true && { externalCloudProvider: true }),
  };
}
