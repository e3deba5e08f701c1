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

/**
 * Cilium's Helm chart: 1.20.0, the newest stable chart in cilium/charts'
 * index (2026-08-03; 1.20.2 is reported since, not checked here). No
 * Cilium release documents minos' defaults (Kubernetes 1.36 and 1.37) as
 * tested: `Documentation/network/kubernetes/compatibility.rst` lists
 * 1.30-1.33 for 1.18 and 1.32-1.35 for 1.19, and no copy of 1.20's list
 * was reachable. 1.20 is the only release branched while 1.36 was out
 * (1.36.0 by April 2026, 1.20 GA 2026-07-29), so the closest; untested
 * versions "depend on the forward / backward compatibility offered by
 * Kubernetes", in that document's words. The chart itself asks only
 * `kubeVersion: '>= 1.21.0-0'`.
 */
export const CILIUM_VERSION = "1.20.0";
export const CILIUM_CHART_REPO = "https://helm.cilium.io";

/**
 * The local volume provisioner KVM clusters get their default StorageClass
 * from, as rancher/local-path-provisioner's `deploy/local-path-storage.yaml`
 * at tag v0.0.37 (the newest release, 2026-08-05) names it: by tag, as
 * upstream pins it (no registry digest could be read here).
 */
export const LOCAL_PATH_PROVISIONER_IMAGE = "docker.io/rancher/local-path-provisioner:v0.0.37";
/**
 * The image of its helper pods, which make and remove each volume's
 * directory: upstream's manifest leaves `docker.io/library/busybox`
 * floating, so this pins busybox's 1.37.0 release in its place.
 */
export const LOCAL_PATH_HELPER_IMAGE = "docker.io/library/busybox:1.37.0";
