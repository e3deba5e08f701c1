import type { ConfigDelivery, PayloadLimit, PlatformDescription } from "@minos/core";

/** GCE's limit on one metadata value. */
export const METADATA_VALUE_LIMIT: PayloadLimit = {
  bytes: 262_144,
  what: "GCE metadata value limit",
};

/**
 * Google Cloud without any resource: what `minos render` asks. A payload the
 * OS can point to lives in Cloud Storage, and one the OS hands over its own
 * API is never stored, with no limit worth naming; any other goes into
 * instance metadata, 256 KiB a value. Its clusters take the cloud
 * controller, persistent-disk volumes and Service load balancers from it
 * (`platformServices`).
 */
export const gcpDescription: PlatformDescription = {
  name: "gcp",
  // Its cloud controller, a CSI driver and its load balancers. Not the
  // autoscaler: cluster-autoscaler's GCE provider sizes zonal groups only,
  // and every pool here is one regional group (docs/platforms/gcp.md).
  services: ["controller", "volumes", "loadBalancers"],
  servicesNeedingController: ["loadBalancers"],
  payloadLimit: (delivery: ConfigDelivery) =>
    (delivery.kind === "metadata" && delivery.pointer) || delivery.kind === "machine-api"
      ? undefined
      : METADATA_VALUE_LIMIT,
};
