/**
 * @minos/core/render: what rendering a node's first-boot payload needs, and
 * nothing that loads the Pulumi SDK: the contracts, cluster arguments
 * resolved and checked, a node's bootstrap context, `renderNode`, the
 * kubeadm, Ignition and kubeconfig renderers, validation and versions.
 * `minos render` and each OS package's `/render` entry import only this;
 * `@minos/core` exports all of it too.
 */

export type {
  ClusterArgs,
  ControlPlaneArgs,
  NodeGroupSettingsArgs,
  NodePoolArgs,
  PoolTokenArgs,
  RolloutAmountArg,
  RolloutArgs,
} from "./cluster/args.js";
export { bootstrapContext, joinContext } from "./cluster/context.js";
export type { JoinInfo } from "./cluster/join-info.js";
export type { RenderedNode } from "./cluster/render-node.js";
export { fittingPayload, renderNode } from "./cluster/render-node.js";
export type { ResolvedCluster } from "./cluster/resolve.js";
export {
  API_PORT,
  DEFAULT_POD_CIDR,
  DEFAULT_SERVICE_CIDR,
  EXPIRES_AT_TAG,
  resolveClusterArgs,
} from "./cluster/resolve.js";
export type { ResolvedGroup, ResolvedPoolToken } from "./cluster/resolve-groups.js";
export {
  CONTROL_PLANE_POOL,
  CONTROL_PLANE_TAINT,
  resolvePools,
} from "./cluster/resolve-groups.js";
export type {
  ComparisonCluster,
  ComparisonDocument,
  ComparisonMachines,
  ComparisonNodeFacts,
  ComparisonProbe,
  ComparisonResult,
  ComparisonRun,
} from "./comparison/document.js";
export { COMPARISON_SCHEMA_VERSION } from "./comparison/document.js";
export type { ComparisonProblem } from "./comparison/validate.js";
export { comparisonProblems, parseComparison } from "./comparison/validate.js";
export * from "./contracts/bootstrap.js";
export type { ClusterCni, CniName } from "./contracts/cni.js";
export * from "./contracts/image.js";
export type {
  AfterControlPlaneContext,
  ClusterRequest,
  ImageScope,
  NodeConfig,
  NodeOs,
  NodeRenderer,
  OsAddonContext,
  RenderedGroup,
  WorkerToken,
} from "./contracts/node-os.js";
export { VAR_LOCAL_VOLUMES } from "./contracts/node-os.js";
export * from "./contracts/os-updates.js";
export type {
  AddressSpace,
  Machines,
  MachinesRequest,
  PayloadLimit,
  PlannedGroup,
  Platform,
  PlatformAddonContext,
  PlatformClusterInfo,
  PlatformDescription,
  PlatformJoinInfo,
  Site,
  SiteIds,
} from "./contracts/platform.js";
export { plannedGroup, plannedWorkers } from "./contracts/platform.js";
export * from "./contracts/platform-services.js";
export type { ImageUpdates, PoolRollout, RolloutAmount } from "./contracts/rollout.js";
export { endpointUrl, hostPort } from "./endpoint.js";
export { MinosError } from "./errors.js";
export * as ignition from "./ignition/index.js";
export * as kubeadm from "./kubeadm/index.js";
export type { KubeconfigInput } from "./kubeconfig.js";
export { renderKubeconfig } from "./kubeconfig.js";
export type { KubernetesSupport, KubernetesVersion } from "./kubernetes-versions.js";
export {
  KUBERNETES_SUPPORT,
  parseKubernetesVersion,
  resolveKubernetesVersion,
} from "./kubernetes-versions.js";
export type { Json } from "./merge-patch.js";
export { mergePatch, validatePatches } from "./merge-patch.js";
export { platformOf } from "./platform-of.js";
export {
  GCE_METADATA_ADDRESS,
  POD_METADATA_BLOCK_TABLE,
  podMetadataBlockNftables,
  podMetadataBlockRules,
} from "./pod-metadata-rules.js";
export { safeArgumentPath, secretShape } from "./secret-shapes.js";
export { BOOTSTRAP_TOKEN, validateBootstrapToken } from "./secrets/bootstrap-token.js";
export { caCertHash } from "./secrets/ca-cert-hash.js";
export { renderToml } from "./toml.js";
export type { Ipv4Cidr } from "./validation/cidr.js";
export {
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
export { refusePinsElsewhere, validateAmiId, validateGceImageName } from "./validation/images.js";
export { closest, optionKeys, refuseUnknownKeys } from "./validation/keys.js";
export type { Taint } from "./validation/labels.js";
export { validateLabels, validateTaints } from "./validation/labels.js";
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
export { resolvePlatformServices } from "./validation/platform-services.js";
export { rolloutArgs, validateRollout } from "./validation/rollout.js";
export { validateHttpUrl } from "./validation/urls.js";
export {
  checkKubeletSkew,
  checkKubernetesStep,
  KUBELET_MAX_MINORS_BEHIND,
  kubernetesStepRefusal,
  releaseOrder,
} from "./version-skew.js";
export * from "./versions.js";
