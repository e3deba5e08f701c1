import { DEFAULT_CLASS_ANNOTATION } from "@minos/core";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { imageParts } from "./cloud-controller.js";
import {
  AWS_EBS_CSI_CHART_REPO,
  AWS_EBS_CSI_CHART_VERSION,
  AWS_EBS_CSI_IMAGE,
} from "./versions.js";

/** The driver's name, which its StorageClass names as provisioner. */
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";
/** The default StorageClass's name. */
export const EBS_CLASS = "gp3";
/** The controller's Deployment, as the chart's `templates/controller.yaml` names it. */
export const EBS_CONTROLLER_DEPLOYMENT = "ebs-csi-controller";

const CONTROL_PLANE = "node-role.kubernetes.io/control-plane";

/**
 * The chart's values. The controller runs on a control-plane node, where
 * it takes the control-plane role's credentials from instance metadata
 * (so through the host's network: see `awsEbsCsi`), one replica, since two
 * on one host would both bind their health port; its tolerations are the
 * chart's and the control-plane taint. Volumes carry the cluster's ID in
 * their tags (`kubernetes.io/cluster/<cluster>: owned`,
 * `ebs.csi.aws.com/cluster-name`). The node plugin reads its instance,
 * type and zone from its Node, which the cloud controller fills in, rather
 * than first waiting out instance metadata it cannot reach from a pod.
 * No Windows DaemonSet: minos runs no Windows nodes.
 */
export function ebsCsiValues(cluster: string) {
  return {
    image: imageParts(AWS_EBS_CSI_IMAGE),
    controller: {
      replicaCount: 1,
      k8sTagClusterId: cluster,
      nodeSelector: { [CONTROL_PLANE]: "" },
      tolerations: [
        { key: "CriticalAddonsOnly", operator: "Exists" },
        { effect: "NoExecute", operator: "Exists", tolerationSeconds: 300 },
        { key: CONTROL_PLANE, operator: "Exists", effect: "NoSchedule" },
      ],
    },
    node: { metadataSources: "kubernetes", enableWindows: false },
  };
}

/**
 * kubernetes-sigs/aws-ebs-csi-driver from its pinned chart, in kube-system,
 * and the cluster's default StorageClass: encrypted gp3 volumes (the
 * account's default EBS key) made in the zone of their first consumer,
 * growable, deleted with their claim.
 *
 * The chart has no host-network setting for its controller, and a pod
 * cannot reach instance metadata with IMDSv2's hop limit of 1; a
 * server-side apply patch sets `hostNetwork` on its Deployment, which Helm
 * leaves alone on upgrades since no template of the chart sets it. The
 * release does not wait for its pods: the controller's first pod has no
 * credentials until the patch, and node pods run only once their node is
 * initialized and has a pod network. It goes in after the cloud controller,
 * which the node plugin needs.
 */
export function awsEbsCsi(
  cluster: string,
  after: pulumi.Resource,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const release = new k8s.helm.v3.Release(
    `${cluster}-aws-ebs-csi`,
    {
      chart: "aws-ebs-csi-driver",
      version: AWS_EBS_CSI_CHART_VERSION,
      repositoryOpts: { repo: AWS_EBS_CSI_CHART_REPO },
      namespace: "kube-system",
      values: ebsCsiValues(cluster),
      skipAwait: true,
    },
    { ...opts, dependsOn: [after] },
  );
  const hostNetwork = new k8s.apps.v1.DeploymentPatch(
    `${cluster}-aws-ebs-csi-host-network`,
    {
      metadata: { name: EBS_CONTROLLER_DEPLOYMENT, namespace: "kube-system" },
      spec: { template: { spec: { hostNetwork: true } } },
    },
    { ...opts, dependsOn: [release] },
  );
  const storageClass = new k8s.storage.v1.StorageClass(
    `${cluster}-ebs-gp3`,
    {
      metadata: { name: EBS_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: "gp3", encrypted: "true" },
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      reclaimPolicy: "Delete",
    },
    opts,
  );
  return [release, hostNetwork, storageClass];
}
