import type { KubernetesVersion } from "@minos/core";
import { resolveKubernetesVersion } from "@minos/core";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { AUTOSCALER_ENABLED_TAG, autoscalerClusterTag } from "./tags.js";
import {
  CLUSTER_AUTOSCALER_CHART_REPO,
  CLUSTER_AUTOSCALER_CHART_VERSION,
  CLUSTER_AUTOSCALER_IMAGE_REPO,
  CLUSTER_AUTOSCALER_RELEASES,
} from "./versions.js";

const CONTROL_PLANE = "node-role.kubernetes.io/control-plane";

/**
 * The autoscaler's image for a cluster's Kubernetes minor (see
 * `CLUSTER_AUTOSCALER_RELEASES`); minos' default release's where the
 * caller does not say.
 */
export function clusterAutoscalerImage(kubernetes?: Pick<KubernetesVersion, "minor">): {
  repository: string;
  tag: string;
} {
  const minor = (kubernetes ?? resolveKubernetesVersion(undefined)).minor;
  const release = CLUSTER_AUTOSCALER_RELEASES[minor];
  if (release === undefined)
    throw new Error(`minos: no cluster-autoscaler release pinned for Kubernetes 1.${minor}`);
  return { repository: CLUSTER_AUTOSCALER_IMAGE_REPO, tag: `v${release}` };
}

/**
 * The chart's values. Auto-discovery of the groups carrying both tags minos
 * puts on this cluster's autoscaled pools (each group's own `MinSize` and
 * `MaxSize`, the pool's `minCount` and `maxCount`, bound it), in the
 * cluster's region. It runs on a control-plane node with the control-plane
 * role's credentials, which it reaches on the host's network (a pod cannot
 * reach instance metadata with IMDSv2's hop limit of 1), with the host's
 * DNS (upstream's advice where it needs no cluster DNS); it tolerates the
 * control-plane taint. Its one pod binds the host's port 8085, so an update
 * replaces it rather than starting a second beside it, which on a single
 * control-plane node could never be scheduled.
 */
export function clusterAutoscalerValues(
  cluster: string,
  region: pulumi.Input<string>,
  kubernetes?: Pick<KubernetesVersion, "minor">,
) {
  return {
    cloudProvider: "aws",
    awsRegion: region,
    autoDiscovery: {
      clusterName: cluster,
      tags: [AUTOSCALER_ENABLED_TAG, autoscalerClusterTag(cluster)],
    },
    image: clusterAutoscalerImage(kubernetes),
    hostNetwork: true,
    dnsPolicy: "Default",
    nodeSelector: { [CONTROL_PLANE]: "" },
    tolerations: [{ key: CONTROL_PLANE, operator: "Exists", effect: "NoSchedule" }],
    updateStrategy: { type: "Recreate" },
  };
}

/**
 * kubernetes/autoscaler's cluster-autoscaler from its pinned chart, in
 * kube-system, for the cluster's Kubernetes minor. The release does not
 * wait for its pod, which starts only once a control-plane node is Ready:
 * nodes need nothing from it, and the nodes-ready gate waits for every
 * platform add-on.
 */
export function awsClusterAutoscaler(
  cluster: string,
  kubernetes: Pick<KubernetesVersion, "minor"> | undefined,
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  // The region of the provider the cluster's machines were made with.
  const region = aws.getRegionOutput({}, { parent: opts.parent }).region;
  return new k8s.helm.v3.Release(
    `${cluster}-aws-cluster-autoscaler`,
    {
      chart: "cluster-autoscaler",
      version: CLUSTER_AUTOSCALER_CHART_VERSION,
      repositoryOpts: { repo: CLUSTER_AUTOSCALER_CHART_REPO },
      namespace: "kube-system",
      values: clusterAutoscalerValues(cluster, region, kubernetes),
      skipAwait: true,
    },
    opts,
  );
}
