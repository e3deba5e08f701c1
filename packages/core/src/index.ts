/**
 * @minos/core: the contracts every minos OS and platform implements, the
 * Cluster and NodeGroup components that compose them, cluster secrets, and
 * the kubeadm, kubeconfig and Ignition renderers OS packages share.
 */

// One shim and one diff helper for every minos dynamic provider, from the
// small kit below core and the libvirt driver alike.
export type { PropertyDiff, PropertyKind, ShimLookup } from "@minos/provider-kit";
export { diffProperties, dynamicProviderShim } from "@minos/provider-kit";
export {
  DEFAULT_CLASS_ANNOTATION,
  LOCAL_PATH_CLASS,
  LOCAL_PATH_PROVISIONER,
  localPathConfig,
  localPathProvisioner,
} from "./addons/local-path-provisioner.js";
export type { ServiceAccountSpec } from "./addons/service-account.js";
export { serviceAccount } from "./addons/service-account.js";
export type { NodePoolInfo } from "./cluster/cluster.js";
export { Cluster } from "./cluster/cluster.js";
export type { ClusterRef, NodeAuth } from "./cluster/cluster-ref.js";
export { checkClusterRef, joinRequest } from "./cluster/cluster-ref.js";
export { poolImageUpdates } from "./cluster/image-updates.js";
export type { NodeGroupArgs } from "./cluster/node-group.js";
export { NodeGroup } from "./cluster/node-group.js";
export type { GroupPlan, GroupsCommon, ProvisionedGroups } from "./cluster/pipeline.js";
export { planGroup, planPools, provisionGroups } from "./cluster/pipeline.js";
// What platform packages share: name hashing, memoised lookups, cloud checks.
export {
  apiAllowedCidrs,
  openApiWarning,
  refuseOpenMachineApi,
} from "./platform-kit/api-exposure.js";
export {
  checkMachineTypes,
  groupArgument,
  refuseOtherArchMachines,
  refuseSshRangesWithoutKeys,
} from "./platform-kit/cloud-checks.js";
export { deliveredPayload, refuseDelivery } from "./platform-kit/delivered-payload.js";
export {
  joinedPayloadKey,
  noApiPath,
  pointerTo,
  siteId,
} from "./platform-kit/join-site.js";
export { once } from "./platform-kit/once.js";
export { stackHash, stackUniqueName } from "./platform-kit/stack-names.js";
export type {
  ApiReadinessArgs,
  GateSchedule,
  NodeInventory,
  NodesAttempt,
  ReadyzAttempt,
  ReadyzSchedule,
  ReadyzTarget,
} from "./readiness/api-readiness.js";
export {
  ApiReadiness,
  apiReadinessProvider,
  parseNodes,
  pollNodes,
  pollReadyz,
} from "./readiness/api-readiness.js";
export type { ApiServerSeen, ControlPlaneSeen } from "./readiness/control-plane-release.js";
export { askControlPlane, controlPlaneRuns } from "./readiness/control-plane-release.js";
export type {
  KubernetesVersionGateArgs,
  VersionGateState,
} from "./readiness/kubernetes-version-gate.js";
export {
  KubernetesVersionGate,
  kubernetesVersionGateProvider,
  waitForControlPlane,
} from "./readiness/kubernetes-version-gate.js";
export { readinessTroubleshooting } from "./readiness/troubleshooting.js";
// Everything that loads no Pulumi SDK, also on its own as @minos/core/render.
export * from "./render.js";
export { ClusterSecrets } from "./secrets/cluster-secrets.js";
export type { PoolToken, PoolTokenSecretArgs } from "./secrets/pool-token.js";
export {
  BOOTSTRAP_TOKEN_TYPE,
  KUBEADM_NODE_TOKEN_GROUP,
  OWNER_LABEL,
  POOL_LABEL,
  poolToken,
  poolTokenSecret,
} from "./secrets/pool-token.js";
