import type * as k8s from "@pulumi/kubernetes";

type Rule = k8s.types.input.rbac.v1.PolicyRule;

/** A role as the driver's manifests name it. */
export interface PdCsiRole {
  role: string;
  rules: Rule[];
}

/** A binding of a role to one of the driver's accounts. */
export interface PdCsiBinding {
  binding: string;
  role: string;
  account: string;
}

export const PD_CSI_CONTROLLER_ACCOUNT = "csi-gce-pd-controller-sa";
export const PD_CSI_NODE_ACCOUNT = "csi-gce-pd-node-sa";

const rule = (apiGroups: string[], resources: string[], verbs: string[]): Rule => ({
  apiGroups,
  resources,
  verbs,
});

/**
 * The cluster roles of gcp-compute-persistent-disk-csi-driver's
 * `deploy/kubernetes/base/controller/{cluster_setup,rbac-taint-controller}.yaml`
 * at v1.26.4, rule for rule, without the Windows node's and the one that only
 * let the controller use a PodSecurityPolicy (an API gone since Kubernetes
 * 1.25). `csi-gce-pd-node-deploy` keeps its PodSecurityPolicy rule beside the
 * node read both accounts need.
 */
export const PD_CSI_CLUSTER_ROLES: PdCsiRole[] = [
  {
    role: "csi-gce-pd-provisioner-role",
    rules: [
      rule([""], ["persistentvolumes"], ["get", "list", "watch", "create", "delete"]),
      rule([""], ["persistentvolumeclaims"], ["get", "list", "watch", "update"]),
      rule(["storage.k8s.io"], ["storageclasses"], ["get", "list", "watch"]),
      rule(["storage.k8s.io"], ["volumeattributesclasses"], ["get", "list", "watch"]),
      rule([""], ["events"], ["list", "watch", "create", "update", "patch"]),
      rule(["storage.k8s.io"], ["csinodes"], ["get", "list", "watch"]),
      rule([""], ["nodes"], ["get", "list", "watch"]),
      rule(["snapshot.storage.k8s.io"], ["volumesnapshots"], ["get", "list"]),
      rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents"], ["get", "list"]),
      rule(["storage.k8s.io"], ["volumeattachments"], ["get", "list", "watch"]),
    ],
  },
  {
    role: "csi-gce-pd-attacher-role",
    rules: [
      rule([""], ["persistentvolumes"], ["get", "list", "watch", "update", "patch"]),
      rule([""], ["nodes"], ["get", "list", "watch"]),
      rule(["storage.k8s.io"], ["csinodes"], ["get", "list", "watch"]),
      rule(["storage.k8s.io"], ["volumeattachments"], ["get", "list", "watch", "update", "patch"]),
      rule(["storage.k8s.io"], ["volumeattachments/status"], ["patch"]),
    ],
  },
  {
    role: "csi-gce-pd-resizer-role",
    rules: [
      rule([""], ["persistentvolumes"], ["get", "list", "watch", "update", "patch"]),
      rule([""], ["persistentvolumeclaims"], ["get", "list", "watch"]),
      rule([""], ["persistentvolumeclaims/status"], ["update", "patch"]),
      rule(["storage.k8s.io"], ["volumeattributesclasses"], ["get", "list", "watch"]),
      rule([""], ["events"], ["list", "watch", "create", "update", "patch"]),
      rule([""], ["pods"], ["get", "list", "watch"]),
    ],
  },
  {
    role: "csi-gce-pd-node-deploy",
    rules: [
      {
        apiGroups: ["policy"],
        resources: ["podsecuritypolicies"],
        verbs: ["use"],
        resourceNames: ["csi-gce-pd-node-psp"],
      },
      rule([""], ["nodes"], ["get", "list"]),
    ],
  },
  {
    role: "csi-gce-pd-snapshotter-role",
    rules: [
      rule([""], ["events"], ["list", "watch", "create", "update", "patch"]),
      rule(["snapshot.storage.k8s.io"], ["volumesnapshotclasses"], ["get", "list", "watch"]),
      rule(
        ["snapshot.storage.k8s.io"],
        ["volumesnapshotcontents"],
        ["create", "get", "list", "watch", "update", "delete", "patch"],
      ),
      rule(["snapshot.storage.k8s.io"], ["volumesnapshotcontents/status"], ["update", "patch"]),
    ],
  },
  {
    role: "pd-csi-taint-controller-role",
    rules: [
      rule(["storage.k8s.io"], ["csinodes"], ["get", "list", "watch"]),
      rule([""], ["nodes"], ["get", "list", "watch", "patch", "update"]),
    ],
  },
];

/** Who holds which cluster role, as those manifests bind them. */
export const PD_CSI_CLUSTER_BINDINGS: PdCsiBinding[] = [
  ["csi-gce-pd-controller-provisioner-binding", "csi-gce-pd-provisioner-role"],
  ["csi-gce-pd-controller-attacher-binding", "csi-gce-pd-attacher-role"],
  ["csi-gce-pd-resizer-binding", "csi-gce-pd-resizer-role"],
  ["csi-gce-pd-controller", "csi-gce-pd-node-deploy"],
  ["csi-gce-pd-controller-snapshotter-binding", "csi-gce-pd-snapshotter-role"],
  ["pd-csi-taint-controller-binding", "pd-csi-taint-controller-role"],
  ["csi-gce-pd-node", "csi-gce-pd-node-deploy", PD_CSI_NODE_ACCOUNT],
].map(([binding, role, account]) => ({
  binding: binding as string,
  role: role as string,
  account: account ?? PD_CSI_CONTROLLER_ACCOUNT,
}));

/** `csi-gce-pd-leaderelection-role`, in the driver's namespace, for the controller's sidecars. */
export const PD_CSI_LEADER_ELECTION: PdCsiRole & PdCsiBinding = {
  role: "csi-gce-pd-leaderelection-role",
  binding: "csi-gce-pd-controller-leaderelection-binding",
  account: PD_CSI_CONTROLLER_ACCOUNT,
  rules: [
    rule(
      ["coordination.k8s.io"],
      ["leases"],
      ["get", "watch", "list", "delete", "update", "create"],
    ),
  ],
};
