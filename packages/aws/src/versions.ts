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
