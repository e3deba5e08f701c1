/**
 * @minos/core: the contracts every minos OS and platform implements, the
 * Cluster and NodeGroup components that compose them, cluster secrets, and
 * the kubeadm, kubeconfig and Ignition renderers OS packages share.
 */

// One shim and one diff helper for every minos dynamic provider, from the
// package all of them reach (libvirt sits below core, so they live there).
export {
  diffProperties,
  dynamicProviderShim,
  type PropertyDiff,
  type PropertyKind,
  type ShimLookup,
} from "@minos/libvirt";
export { type ServiceAccountSpec, serviceAccount } from "./addons/service-account.js";
export type {
  ClusterArgs,
  ControlPlaneArgs,
  NodeGroupSettingsArgs,
  NodePoolArgs,
} from "./cluster/args.js";
export { Cluster, type NodePoolInfo, rollsPools } from "./cluster/cluster.js";
export { bootstrapContext, joinContext } from "./cluster/context.js";
export type { JoinInfo } from "./cluster/join-info.js";
export {
  type ClusterRef,
  joinRequest,
  NodeGroup,
  type NodeGroupArgs,
} from "./cluster/node-group.js";
export {
  fittingPayload,
  type GroupPlan,
  type GroupsCommon,
  type ProvisionedGroups,
  planGroup,
  planPools,
  provisionGroups,
  type RenderedNode,
  renderNode,
} from "./cluster/pipeline.js";
export {
  API_PORT,
  CONTROL_PLANE_POOL,
  CONTROL_PLANE_TAINT,
  DEFAULT_POD_CIDR,
  DEFAULT_SERVICE_CIDR,
  EXPIRES_AT_TAG,
  type ResolvedCluster,
  type ResolvedGroup,
  resolveClusterArgs,
  resolvePools,
} from "./cluster/resolve.js";
export * from "./contracts/bootstrap.js";
export type { ClusterCni, CniName } from "./contracts/cni.js";
export * from "./contracts/image.js";
export type {
  AfterControlPlaneContext,
  ClusterRequest,
  ImageScope,
  NodeConfig,
  NodeOs,
  OsAddonContext,
  RenderedGroup,
} from "./contracts/node-os.js";
export * from "./contracts/os-updates.js";
export {
  type AddressSpace,
  type Machines,
  type MachinesRequest,
  type PayloadLimit,
  type PlannedGroup,
  type Platform,
  type PlatformClusterInfo,
  type PlatformDescription,
  type PlatformJoinInfo,
  plannedGroup,
  type Site,
  type SiteIds,
} from "./contracts/platform.js";
export { endpointUrl, hostPort } from "./endpoint.js";
export { MinosError } from "./errors.js";
export * as ignition from "./ignition/index.js";
export * as kubeadm from "./kubeadm/index.js";
export { type KubeconfigInput, renderKubeconfig } from "./kubeconfig.js";
export {
  KUBERNETES_SUPPORT,
  type KubernetesSupport,
  type KubernetesVersion,
  parseKubernetesVersion,
  resolveKubernetesVersion,
} from "./kubernetes-versions.js";
export { type Json, mergePatch, validatePatches } from "./merge-patch.js";
// What platform packages share: name hashing, memoised lookups, cloud checks.
export {
  checkMachineTypes,
  groupArgument,
  refuseSshRangesWithoutKeys,
} from "./platform-kit/cloud-checks.js";
export { once } from "./platform-kit/once.js";
export { stackHash, stackUniqueName } from "./platform-kit/stack-names.js";
export { platformOf } from "./platform-of.js";
export {
  ApiReadiness,
  type ApiReadinessArgs,
  apiReadinessProvider,
  type NodeInventory,
  type NodesAttempt,
  parseNodes,
  pollNodes,
  pollReadyz,
  type ReadyzAttempt,
  type ReadyzSchedule,
  type ReadyzTarget,
} from "./readiness/api-readiness.js";
export * from "./secrets/index.js";
export { renderToml } from "./toml.js";
export {
  type Ipv4Cidr,
  nthAddress,
  overlaps,
  parseCidr,
  parseCidrList,
  subnetOf,
  validateDisjoint,
} from "./validation/cidr.js";
export {
  CONTROL_PLANE_COUNTS,
  DEFAULT_DISK_GIB,
  MAX_POOL_SIZE,
  validateControlPlaneCount,
  validatePoolSize,
} from "./validation/counts.js";
export {
  refusePinsElsewhere,
  validateAmiId,
  validateGceImageName,
} from "./validation/images.js";
export { closest, optionKeys, refuseUnknownKeys } from "./validation/keys.js";
export { type Taint, validateLabels, validateTaints } from "./validation/labels.js";
export {
  CLUSTER_NAME,
  MAX_CLUSTER_NAME,
  MAX_POOL_NAME,
  POOL_NAME,
  validateClusterName,
  validatePoolName,
} from "./validation/names.js";
export {
  validateCertSans,
  validateKubeletArgs,
  validateSshKeys,
} from "./validation/node-settings.js";
export { validateOsUpdates } from "./validation/os-updates.js";
export { validateHttpUrl } from "./validation/urls.js";
export * from "./versions.js";
