/**
 * Every external version `@minos/gcp` pins, each checked against its
 * upstream at the release named (docs/versions.md lists them, a test keeps
 * that table equal to this module).
 */

/**
 * kubernetes/cloud-provider-gcp v36.3.8: the newest tag of the v36 line, built
 * for Kubernetes 1.36 (docs/RELEASE.md: `vK8S_MINOR.K8S_PATCH.CCM_PATCH`, an
 * image per minor, promoted to registry.k8s.io as
 * `cloud-provider-gcp/cloud-controller-manager:<tag>`). The version skew
 * policy lets a controller manager be one minor older than its API server.
 */
export const GCP_CCM_IMAGE = "registry.k8s.io/cloud-provider-gcp/cloud-controller-manager:v36.3.8";

/**
 * kubernetes-sigs/gcp-compute-persistent-disk-csi-driver v1.26.4, the driver
 * built from the tag whose manifests minos renders. Not the tag its
 * `images/stable-master/image.yaml` names (v1.17.4): that driver knows none of
 * `--enable-multitenancy` or `--run-taint-controller`, which the manifests at
 * v1.26.4 pass (`cmd/gce-pd-csi-driver/main.go` at each tag).
 */
export const PD_CSI_DRIVER_IMAGE =
  "registry.k8s.io/cloud-provider-gcp/gcp-compute-persistent-disk-csi-driver:v1.26.4";

/** The CSI sidecars, as `deploy/kubernetes/images/stable-master/image.yaml` at v1.26.4 tags them. */
export const CSI_PROVISIONER_IMAGE = "registry.k8s.io/sig-storage/csi-provisioner:v6.0.0";
export const CSI_ATTACHER_IMAGE = "registry.k8s.io/sig-storage/csi-attacher:v4.8.1";
export const CSI_RESIZER_IMAGE = "registry.k8s.io/sig-storage/csi-resizer:v2.0.0";
export const CSI_SNAPSHOTTER_IMAGE = "registry.k8s.io/sig-storage/csi-snapshotter:v8.2.1";
export const CSI_NODE_REGISTRAR_IMAGE =
  "registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0";
