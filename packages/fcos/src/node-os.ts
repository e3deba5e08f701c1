import type { NodeOs } from "@minos/core";
import { kubeadm, platformOf } from "@minos/core";
import { fleetlock } from "./fleetlock.js";
import { fcosImage } from "./images.js";
import type { FcosOptions } from "./node-renderer.js";
import { NAME, PLATFORMS, rendererOf, resolveFcosOptions } from "./node-renderer.js";
import { sysextName } from "./sysext.js";

export type { FcosOptions } from "./node-renderer.js";

/**
 * Fedora CoreOS as a minos NodeOs: its renderer (Ignition that brings
 * Kubernetes and CRI-O as a system extension and runs kubeadm once), its
 * images, and a FleetLock server for coordinated updates. Validates its
 * options when made, so bad input fails before any resource exists.
 */
export function fcosOs(options: FcosOptions = {}): NodeOs {
  const settings = resolveFcosOptions(options);
  return {
    ...rendererOf(settings),
    // kube-vip in ARP mode, in its control-plane payloads.
    holdsVirtualIp: true,
    troubleshooting: kubeadm.KUBEADM_TROUBLESHOOTING,
    // Zincati moves nodes to new releases: a new image never replaces a pool's machines.
    updatesInPlace: true,
    addons: (ctx) => (ctx.osUpdates.mode === "coordinated" ? fleetlock(ctx) : []),
    controlPlaneUpgrade: (to) =>
      kubeadm.kubeadmUpgradeSteps(
        to,
        `fetch the ${sysextName(to)} system extension with systemd-sysupdate in place of the running one and restart systemd-sysext`,
      ),
    image: (platform, arch, scope) =>
      fcosImage(platformOf(NAME, PLATFORMS, platform), arch, scope, settings.images),
  };
}
