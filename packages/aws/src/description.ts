import type { ConfigDelivery, PayloadLimit, PlatformDescription } from "@minos/core";

/** EC2's limit on user-data. */
export const USER_DATA_LIMIT: PayloadLimit = { bytes: 16_384, what: "EC2 user-data limit" };

/**
 * AWS without any resource: what `minos render` asks. A payload the OS can
 * point to lives in S3, and one the OS hands over its own API is never
 * stored, with no limit worth naming; any other goes into EC2 user-data,
 * which takes 16 KiB. Its clusters take the cloud controller, EBS volumes
 * and Services' load balancers from it, and when asked cluster-autoscaler
 * (`platformServices`).
 */
export const awsDescription: PlatformDescription = {
  name: "aws",
  payloadLimit: (delivery: ConfigDelivery) =>
    (delivery.kind === "user-data" && delivery.pointer) || delivery.kind === "machine-api"
      ? undefined
      : USER_DATA_LIMIT,
  services: ["controller", "volumes", "loadBalancers", "autoscaler"],
  servicesNeedingController: ["volumes", "loadBalancers"],
};
