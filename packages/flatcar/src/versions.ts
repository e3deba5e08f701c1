import type { KubernetesSupport } from "@minos/core/render";
import { KUBERNETES_SUPPORT } from "@minos/core/render";

/**
 * Kubernetes on Flatcar comes from the sysext-bakery's
 * `kubernetes-v<version>-<arch>.raw` images. The bakery builds the newest
 * patch of every minor the Kubernetes project supports, from its release
 * schedule (flatcar/sysext-bakery `kubernetes.sysext/funcs.inc`,
 * `release_build_versions.txt`: "kubernetes latest"), and keeps what it
 * built, so Flatcar runs minos' own range and default.
 */
export const FLATCAR_KUBERNETES: KubernetesSupport = {
  ...KUBERNETES_SUPPORT,
  source: "the minors Flatcar's sysext-bakery has built Kubernetes images for",
};

/** kured, the reboot coordinator for coordinated updates (kubereboot/kured kured-ds.yaml at 1.23.0, its newest release). */
export const KURED_IMAGE = "ghcr.io/kubereboot/kured:1.23.0";
