import type { NodeOs } from "@minos/core";
import { kubeadm, platformOf } from "@minos/core";
import { FLATCAR_GCP_PROJECT, flatcarImage } from "./images.js";
import { kured } from "./kured.js";
import type { FlatcarOptions } from "./node-renderer.js";
import { NAME, PLATFORMS, rendererOf, resolveFlatcarOptions } from "./node-renderer.js";
import { SYSEXT_DIR, SYSEXT_LINK } from "./sysext.js";

export type { FlatcarOptions } from "./node-renderer.js";

/**
 * Flatcar Container Linux as a minos NodeOs: its renderer (Ignition that
 * installs Kubernetes from a systemd-sysext and runs kubeadm once), its
 * images, and kured for coordinated updates. Validates its options when
 * made, so bad input fails before any resource exists.
 */
export function flatcarOs(options: FlatcarOptions = {}): NodeOs {
  const settings = resolveFlatcarOptions(options);
  const { channel, amiId, gcpImage } = settings;
  return {
    ...rendererOf(settings),
    // kube-vip in ARP mode, in its control-plane payloads.
    holdsVirtualIp: true,
    troubleshooting: kubeadm.KUBEADM_TROUBLESHOOTING,
    // update_engine moves nodes to new releases: a new image never replaces a pool's machines.
    updatesInPlace: true,
    image: (platform, arch) => {
      if (platform === "aws" && amiId) return { platform, kind: "ami", id: amiId };
      if (platform === "gcp" && gcpImage)
        return { platform, kind: "image", project: FLATCAR_GCP_PROJECT, name: gcpImage };
      return flatcarImage(platformOf(NAME, PLATFORMS, platform), arch, channel);
    },
    addons: (ctx) => (ctx.osUpdates.mode === "coordinated" ? kured(ctx) : []),
    controlPlaneUpgrade: (to) =>
      kubeadm.kubeadmUpgradeSteps(
        to,
        `put the kubernetes-v${to.text}-<arch>.raw sysext in ${SYSEXT_DIR}, point ${SYSEXT_LINK} at it and restart systemd-sysext`,
      ),
  };
}
