/**
 * Every external version @minos/core pins, each with the upstream source it
 * was checked against. The README's "Pinned versions" table lists them (a
 * test keeps the two equal); bump them here, deliberately, one at a time.
 */

/**
 * Oldest Kubernetes minor minos renders for: the first whose kubeadm reads
 * `kubeadm.k8s.io/v1beta4` (kubernetes/kubernetes CHANGELOG-1.31).
 */
export const MIN_KUBERNETES_MINOR = 31;
/** Newest Kubernetes minor minos has been checked against (kubeadm still reads v1beta4). */
export const MAX_KUBERNETES_MINOR = 37;
/**
 * The version a cluster gets when neither it nor its OS says otherwise
 * (Flatcar's): a kubernetes/kubernetes 1.37 patch release, which Flatcar's
 * sysext-bakery builds as it builds the newest patch of every supported
 * minor (`kubernetes.sysext/funcs.inc`, `release_build_versions.txt`).
 */
export const DEFAULT_KUBERNETES_VERSION = "1.37.1";

/**
 * Flannel, as flannel-io/flannel's `Documentation/kube-flannel.yml` at tag
 * v0.28.9 (the newest release, 2026-08-07) names it and its CNI plugin.
 */
export const FLANNEL_IMAGE = "ghcr.io/flannel-io/flannel:v0.28.9";
export const FLANNEL_CNI_PLUGIN_IMAGE = "ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3";

/** Cilium's Helm chart, from cilium/charts. */
export const CILIUM_VERSION = "1.18.0";
export const CILIUM_CHART_REPO = "https://helm.cilium.io";
