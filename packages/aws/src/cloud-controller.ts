import type { PlatformServices } from "@minos/core";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { AWS_CCM_CHART_REPO, AWS_CCM_CHART_VERSION, AWS_CCM_IMAGE } from "./versions.js";

/** Where the controller's cloud config is mounted, and the ConfigMap that holds it. */
const CONFIG_DIR = "/etc/aws-cloud-controller-manager";
const CONFIG_MAP = "aws-cloud-controller-manager-config";

/**
 * The cloud config: the cluster's ID given, not read off the tags of the
 * instance the controller runs on (cloud-provider-aws `newAWSCloud2`, which
 * then needs `KubernetesClusterID` or `KubernetesClusterTag`). It is the
 * cluster's name, the ID in the ownership tag minos puts on its resources.
 */
export function cloudConfig(cluster: string): string {
  return `[Global]\nKubernetesClusterID = ${cluster}\n`;
}

/** An image reference split as charts take it. */
export function imageParts(image: string): { repository: string; tag: string } {
  const at = image.lastIndexOf(":");
  return { repository: image.slice(0, at), tag: image.slice(at + 1) };
}

/**
 * The chart's values. Upstream's args (`--v=2`, `--cloud-provider=aws`) and
 * on top: no VPC routes for pod networks (the CNI carries pod traffic),
 * the cluster's name, its cloud config, and with `loadBalancers` off no service
 * controller. Host networking (a key the chart's DaemonSet reads but its
 * values.yaml does not list), so the controller reaches instance metadata
 * with IMDSv2's hop limit of 1 and runs before any CNI. It stays on
 * control-plane nodes (the chart's `nodeSelector`) and tolerates, besides
 * the chart's taints, `not-ready`: it is what initializes a node.
 */
export function cloudControllerValues(cluster: string, services: PlatformServices) {
  return {
    image: imageParts(AWS_CCM_IMAGE),
    args: [
      "--v=2",
      "--cloud-provider=aws",
      "--configure-cloud-routes=false",
      `--cluster-name=${cluster}`,
      `--cloud-config=${CONFIG_DIR}/cloud.conf`,
      // The canonical name (k8s.io/cloud-provider `names.ServiceLBController`).
      ...(services.loadBalancers ? [] : ["--controllers=*,-service-lb-controller"]),
    ],
    hostNetworking: true,
    tolerations: [
      {
        key: "node.cloudprovider.kubernetes.io/uninitialized",
        value: "true",
        effect: "NoSchedule",
      },
      { key: "node-role.kubernetes.io/master", effect: "NoSchedule" },
      { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
      { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
    ],
    extraVolumes: [{ name: "cloud-config", configMap: { name: CONFIG_MAP } }],
    extraVolumeMounts: [{ name: "cloud-config", mountPath: CONFIG_DIR, readOnly: true }],
  };
}

/**
 * kubernetes/cloud-provider-aws's cloud controller manager from its pinned
 * chart, in kube-system, and its cloud config. The release waits for the
 * DaemonSet: its pods need neither a Ready node nor a pod network, and
 * every node waits for them to lift `node.cloudprovider.kubernetes.io/uninitialized`.
 */
export function awsCloudController(
  cluster: string,
  services: PlatformServices,
  opts: pulumi.CustomResourceOptions,
): { config: k8s.core.v1.ConfigMap; release: k8s.helm.v3.Release } {
  const config = new k8s.core.v1.ConfigMap(
    `${cluster}-aws-cloud-config`,
    {
      metadata: { name: CONFIG_MAP, namespace: "kube-system" },
      data: { "cloud.conf": cloudConfig(cluster) },
    },
    opts,
  );
  const release = new k8s.helm.v3.Release(
    `${cluster}-aws-cloud-controller`,
    {
      chart: "aws-cloud-controller-manager",
      version: AWS_CCM_CHART_VERSION,
      repositoryOpts: { repo: AWS_CCM_CHART_REPO },
      namespace: "kube-system",
      values: cloudControllerValues(cluster, services),
    },
    { ...opts, dependsOn: [config] },
  );
  return { config, release };
}
