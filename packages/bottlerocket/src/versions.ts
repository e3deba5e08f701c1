/**
 * Kubernetes minors with an `aws-k8s-1.<minor>` Bottlerocket variant minos
 * supports: bottlerocket-os/bottlerocket `sources/settings-defaults/aws-k8s-1.31`
 * to `aws-k8s-1.37` (each also `-nvidia`; FIPS builds of the same variants),
 * published as AWS's public SSM parameters
 * `/aws/service/bottlerocket/aws-k8s-1.<minor>/<arch>/latest/image_id`.
 * 1.30 and older are not: minos renders for Kubernetes 1.31 and newer.
 */
export const BOTTLEROCKET_KUBERNETES_MINORS = { min: 31, max: 37 } as const;
