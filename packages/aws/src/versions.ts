/**
 * The AWS cloud controller manager's Helm chart (kubernetes/cloud-provider-aws
 * `charts/aws-cloud-controller-manager`, tag
 * `helm-chart-aws-cloud-controller-manager-0.0.11`, the newest in its chart
 * repository and the chart at tag v1.36.1). Its own default image is v1.35.0.
 */
export const AWS_CCM_CHART_VERSION = "0.0.11";
export const AWS_CCM_CHART_REPO = "https://kubernetes.github.io/cloud-provider-aws";

/**
 * The controller itself, cloud-provider-aws v1.36.1 (its newest release),
 * in place of the chart's v1.35.0: upstream guarantees a release only with
 * its own Kubernetes minor, and Kubernetes' skew policy lets a controller
 * manager be one minor older than the API server, so 1.36 serves minos'
 * default releases (1.36, 1.37). Between v1.35.0 and v1.36.1 no flag or
 * RBAC rule the chart sets changed (`git log v1.35.0..v1.36.1`).
 */
export const AWS_CCM_IMAGE = "registry.k8s.io/provider-aws/cloud-controller-manager:v1.36.1";

/**
 * The EBS CSI driver's Helm chart (kubernetes-sigs/aws-ebs-csi-driver
 * `charts/aws-ebs-csi-driver`, tag `helm-chart-aws-ebs-csi-driver-2.64.0`,
 * appVersion 1.64.0), which pins its sidecars' images itself.
 */
export const AWS_EBS_CSI_CHART_VERSION = "2.64.0";
export const AWS_EBS_CSI_CHART_REPO = "https://kubernetes-sigs.github.io/aws-ebs-csi-driver";

/** The driver's image, the chart's appVersion made explicit (`image.tag` defaults to it). */
export const AWS_EBS_CSI_IMAGE = "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.64.0";

/**
 * cluster-autoscaler's Helm chart (kubernetes/autoscaler
 * `cluster-autoscaler/charts/cluster-autoscaler`, tag
 * `cluster-autoscaler-chart-9.59.0`, the newest; its own default image is
 * v1.35.0, which minos replaces per cluster with `CLUSTER_AUTOSCALER_RELEASES`).
 */
export const CLUSTER_AUTOSCALER_CHART_VERSION = "9.59.0";
export const CLUSTER_AUTOSCALER_CHART_REPO = "https://kubernetes.github.io/autoscaler";

/** Where the autoscaler's images live: the chart's `image.repository`. */
export const CLUSTER_AUTOSCALER_IMAGE_REPO = "registry.k8s.io/autoscaling/cluster-autoscaler";

/**
 * The cluster-autoscaler release for each Kubernetes minor minos runs: the
 * newest tag `cluster-autoscaler-1.<minor>.*` of kubernetes/autoscaler.
 * Upstream builds one release line per minor and recommends the newest
 * release of the cluster's own minor (`cluster-autoscaler/README.md`,
 * "Releases"): it simulates the scheduler of its minor and watches that
 * minor's APIs (1.36 handles DRA always, through `resource.k8s.io/v1`,
 * which API servers before 1.34 do not serve). There is no 1.37 line yet,
 * so 1.37 clusters get 1.36's newest, one minor behind, as Kubernetes'
 * skew policy allows a controller.
 */
export const CLUSTER_AUTOSCALER_RELEASES: Readonly<Record<number, string>> = {
  31: "1.31.5",
  32: "1.32.7",
  33: "1.33.6",
  34: "1.34.5",
  35: "1.35.2",
  36: "1.36.1",
  37: "1.36.1",
};
