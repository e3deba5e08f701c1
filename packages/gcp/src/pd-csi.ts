import { DEFAULT_CLASS_ANNOTATION } from "@minos/core";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { PD_CSI_APP, PD_CSI_DRIVER, pdCsiControllerPod, pdCsiNodePod } from "./pd-csi-pods.js";
import {
  PD_CSI_CLUSTER_BINDINGS,
  PD_CSI_CLUSTER_ROLES,
  PD_CSI_CONTROLLER_ACCOUNT,
  PD_CSI_LEADER_ELECTION,
  PD_CSI_NODE_ACCOUNT,
} from "./pd-csi-rbac.js";

/** The driver's namespace, as its kustomization names it. */
export const PD_CSI_NAMESPACE = "gce-pd-csi-driver";

/** The cluster's default StorageClass, and what it asks the driver for. */
export const PD_STORAGE_CLASS = "pd-balanced";

/**
 * What every volume of the default class is: a zonal balanced persistent
 * disk (the boot disks' type), ext4, labelled with the cluster so a disk
 * left behind is found. Google encrypts every disk at rest; a customer key
 * would be `disk-encryption-kms-key`.
 */
export function pdStorageClassParameters(cluster: string): Record<string, string> {
  return {
    type: "pd-balanced",
    "csi.storage.k8s.io/fstype": "ext4",
    labels: `minos-cluster=${cluster}`,
  };
}

/**
 * gcp-compute-persistent-disk-csi-driver as typed Kubernetes resources,
 * object for object its `deploy/kubernetes/base/{controller,node_linux}` at
 * v1.26.4 (see `pdCsiControllerPod`, `pdCsiNodePod` for what differs), and a
 * default StorageClass upstream leaves to the user: `pd-balanced`, bound
 * where its first consumer is scheduled, expandable, deleted with its claim.
 * Its namespace admits privileged pods (the node plugin is; Talos enforces
 * the `baseline` level by default).
 */
export function gcpPersistentDisks(
  name: string,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const id = (what: string) => `${name}-pd-${what}`;
  const namespace = new k8s.core.v1.Namespace(
    id("namespace"),
    {
      metadata: {
        name: PD_CSI_NAMESPACE,
        labels: { "pod-security.kubernetes.io/enforce": "privileged" },
      },
    },
    opts,
  );
  const inNs = { ...opts, dependsOn: [namespace] };
  const meta = (n: string) => ({ name: n, namespace: PD_CSI_NAMESPACE });
  const subject = (account: string) => ({
    kind: "ServiceAccount",
    name: account,
    namespace: PD_CSI_NAMESPACE,
  });
  const ref = (kind: string, role: string) => ({
    apiGroup: "rbac.authorization.k8s.io",
    kind,
    name: role,
  });
  const accounts = [PD_CSI_NODE_ACCOUNT, PD_CSI_CONTROLLER_ACCOUNT].map(
    (account) => new k8s.core.v1.ServiceAccount(id(account), { metadata: meta(account) }, inNs),
  );
  const rbac: pulumi.Resource[] = [
    ...PD_CSI_CLUSTER_ROLES.map(
      (r) =>
        new k8s.rbac.v1.ClusterRole(
          id(r.role),
          { metadata: { name: r.role }, rules: r.rules },
          opts,
        ),
    ),
    ...PD_CSI_CLUSTER_BINDINGS.map(
      (b) =>
        new k8s.rbac.v1.ClusterRoleBinding(
          id(b.binding),
          {
            metadata: { name: b.binding },
            roleRef: ref("ClusterRole", b.role),
            subjects: [subject(b.account)],
          },
          opts,
        ),
    ),
    new k8s.rbac.v1.Role(
      id(PD_CSI_LEADER_ELECTION.role),
      {
        metadata: { ...meta(PD_CSI_LEADER_ELECTION.role), labels: { "k8s-app": PD_CSI_APP.app } },
        rules: PD_CSI_LEADER_ELECTION.rules,
      },
      inNs,
    ),
    new k8s.rbac.v1.RoleBinding(
      id(PD_CSI_LEADER_ELECTION.binding),
      {
        metadata: {
          ...meta(PD_CSI_LEADER_ELECTION.binding),
          labels: { "k8s-app": PD_CSI_APP.app },
        },
        roleRef: ref("Role", PD_CSI_LEADER_ELECTION.role),
        subjects: [subject(PD_CSI_LEADER_ELECTION.account)],
      },
      inNs,
    ),
  ];
  const priorities = [
    ["csi-gce-pd-controller", 900000000, "controller deployment"],
    ["csi-gce-pd-node", 900001000, "node deployment"],
  ].map(
    ([className, value, what]) =>
      new k8s.scheduling.v1.PriorityClass(
        id(`${className}-priority`),
        {
          metadata: { name: className as string },
          value: value as number,
          globalDefault: false,
          description: `This priority class should be used for the GCE PD CSI driver ${what} only.`,
        },
        opts,
      ),
  );
  const driver = new k8s.storage.v1.CSIDriver(
    id("driver"),
    { metadata: { name: PD_CSI_DRIVER }, spec: { attachRequired: true, podInfoOnMount: false } },
    opts,
  );
  const before = [namespace, ...accounts, ...rbac, ...priorities];
  const controller = new k8s.apps.v1.Deployment(
    id("controller"),
    {
      metadata: meta("csi-gce-pd-controller"),
      spec: {
        replicas: 1,
        selector: { matchLabels: PD_CSI_APP },
        template: { metadata: { labels: PD_CSI_APP }, spec: pdCsiControllerPod() },
      },
    },
    { ...opts, dependsOn: before },
  );
  const node = new k8s.apps.v1.DaemonSet(
    id("node"),
    {
      metadata: meta("csi-gce-pd-node"),
      spec: {
        selector: { matchLabels: PD_CSI_APP },
        template: { metadata: { labels: PD_CSI_APP }, spec: pdCsiNodePod() },
      },
    },
    { ...opts, dependsOn: before },
  );
  const storageClass = new k8s.storage.v1.StorageClass(
    id("storage-class"),
    {
      metadata: {
        name: PD_STORAGE_CLASS,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" },
      },
      provisioner: PD_CSI_DRIVER,
      parameters: pdStorageClassParameters(name),
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    },
    { ...opts, dependsOn: [driver] },
  );
  return [...before, driver, controller, node, storageClass];
}
