import type * as k8s from "@pulumi/kubernetes";

type Rule = k8s.types.input.rbac.v1.PolicyRule;

/**
 * `system:cloud-controller-manager`: what the controller does as itself,
 * as cloud-provider-gcp's `deploy/packages/default/manifest.yaml` at v36.3.8
 * grants it (with `--use-service-account-credentials`, its controllers act
 * through the accounts it mints tokens for).
 */
export const CCM_CLUSTER_RULES: Rule[] = [
  { apiGroups: ["", "events.k8s.io"], resources: ["events"], verbs: ["create", "patch", "update"] },
  {
    apiGroups: ["coordination.k8s.io"],
    resources: ["leases"],
    verbs: ["create", "get", "list", "watch", "update"],
  },
  {
    apiGroups: ["coordination.k8s.io"],
    resourceNames: ["cloud-controller-manager"],
    resources: ["leases"],
    verbs: ["get", "update"],
  },
  {
    apiGroups: [""],
    resources: ["endpoints", "serviceaccounts", "services"],
    verbs: ["create", "get", "update"],
  },
  { apiGroups: [""], resources: ["nodes"], verbs: ["get", "update", "patch"] },
  { apiGroups: [""], resources: ["namespaces"], verbs: ["get"] },
  { apiGroups: [""], resources: ["nodes/status", "services/status"], verbs: ["patch", "update"] },
  { apiGroups: [""], resources: ["secrets"], verbs: ["create", "delete", "get", "update"] },
  { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
  { apiGroups: ["*"], resources: ["*"], verbs: ["list", "watch"] },
  { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
];

/** `system::leader-locking-cloud-controller-manager`, in kube-system, as that manifest has it. */
export const CCM_LEADER_LOCKING_RULES: Rule[] = [
  { apiGroups: [""], resources: ["configmaps"], verbs: ["watch"] },
  {
    apiGroups: [""],
    resources: ["configmaps"],
    resourceNames: ["cloud-controller-manager"],
    verbs: ["get", "update"],
  },
];

/** `system:controller:cloud-node-controller`, as that manifest has it. */
export const CLOUD_NODE_CONTROLLER_RULES: Rule[] = [
  { apiGroups: [""], resources: ["events"], verbs: ["create", "patch", "update"] },
  { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "update", "delete", "patch"] },
  {
    apiGroups: [""],
    resources: ["nodes/status"],
    verbs: ["get", "list", "update", "delete", "patch"],
  },
  { apiGroups: [""], resources: ["pods"], verbs: ["list", "delete"] },
  { apiGroups: [""], resources: ["pods/status"], verbs: ["list", "delete"] },
];

/**
 * `gce:cloud-provider`, for the `cloud-provider` account the GCE provider
 * acts as: it keeps the cluster's id, which names load balancers' health
 * checks and firewall rules, in the ConfigMap `kube-system/ingress-uid`,
 * creating it on first use (`providers/gce/gce_clusterid.go`). As
 * `cluster/gce/addons/loadbalancing/cloud-provider-role.yaml` at v36.3.8,
 * which kube-up installs beside the controller.
 */
export const CLOUD_PROVIDER_NAMESPACE_RULES: Rule[] = [
  {
    apiGroups: [""],
    resources: ["configmaps"],
    verbs: ["create", "get", "patch", "update", "list", "watch"],
  },
];
export const CLOUD_PROVIDER_CLUSTER_RULES: Rule[] = [
  { apiGroups: [""], resources: ["events"], verbs: ["create", "patch", "update"] },
  { apiGroups: [""], resources: ["services/status"], verbs: ["patch", "update"] },
];
