import type { KubernetesSupport } from "@minos/core/render";

/**
 * Kubernetes on Fedora CoreOS comes from the Fedora sysexts project's
 * `kubernetes-cri-o-<minor>` builds, so FCOS runs the minors it builds:
 * `kubernetes-cri-o-1.33` to `-1.35` in fedora-sysexts/fedora (May 2026), and
 * `-1.36` added by its PR #241 (2026-05-20). The default is the newest.
 */
export const FCOS_KUBERNETES: KubernetesSupport = {
  minMinor: 33,
  maxMinor: 36,
  // The 1.36 patch Talos 1.13.9 also defaults to (siderolabs/talos pkg/machinery/constants).
  defaultVersion: "1.36.3",
  source: "the minors the Fedora sysexts project builds kubernetes-cri-o sysexts for",
};

/**
 * Where the project's redirector serves each sysext as one flat directory
 * (`<base>/<sysext>/SHA256SUMS`, `<base>/<sysext>/<build>.raw`), as its own
 * sysupdate transfer (`.github/workflow-templates/systemd-sysupdate.conf`) reads it.
 */
export const DEFAULT_SYSEXT_BASE_URL = "https://extensions.fcos.fr/fedora";

/** Zincati's FleetLock server, run in the cluster (Typhoon's choice for FCOS). */
export const FLEETLOCK_IMAGE = "quay.io/poseidon/fleetlock:v0.4.0";
