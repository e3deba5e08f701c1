/**
 * What a cluster takes from its platform for its workloads, part by part
 * (`ClusterArgs.platformServices`). Each part but the autoscaler is on by
 * default where the platform has it, and every part is off where it has
 * none; a user who brings their own turns ours off.
 */
export interface PlatformServicesArgs {
  /**
   * The platform's cloud controller manager (AWS, GCP): kubelets start with
   * `--cloud-provider=external` and the controller gives each node its
   * `spec.providerID`, addresses, zone and instance-type labels, lifts the
   * `node.cloudprovider.kubernetes.io/uninitialized` taint and deletes the
   * Node of a machine that is gone. Fixed for a cluster's life: refused at
   * preview on a running cluster that was made with the other setting.
   * Default true.
   */
  controller?: boolean;
  /**
   * Volumes for `PersistentVolumeClaim`s: a CSI driver with a default,
   * encrypted `WaitForFirstConsumer` StorageClass (AWS: EBS, GCP: persistent
   * disk, both needing the controller), or on KVM node-local volumes.
   * Default true.
   */
  volumes?: boolean;
  /**
   * Services of type `LoadBalancer`: the controller's on AWS and GCP (so it
   * needs the controller), an L2 implementation handing out addresses of the
   * libvirt network on KVM. Default true.
   */
  loadBalancers?: boolean;
  /**
   * Upstream's cluster-autoscaler, growing and shrinking each worker pool
   * between its `minCount` and `maxCount` (it finds machines by the
   * provider ID the controller gives each node, so it needs the
   * controller). Default false: a cluster autoscales only when asked.
   */
  autoscaler?: boolean;
}

/** `PlatformServicesArgs` resolved: each part on or off for one cluster. */
export interface PlatformServices {
  controller: boolean;
  volumes: boolean;
  loadBalancers: boolean;
  autoscaler: boolean;
}

/** The parts, in the order they are documented and installed. */
export const PLATFORM_SERVICE_KEYS = [
  "controller",
  "volumes",
  "loadBalancers",
  "autoscaler",
] as const;

/** Parts a cluster takes only when asked. */
export const OPT_IN_SERVICES: readonly PlatformService[] = ["autoscaler"];

/** A part of `PlatformServices`. */
export type PlatformService = (typeof PLATFORM_SERVICE_KEYS)[number];

/** Nothing from the platform: what a platform that offers no part gives. */
export const NO_PLATFORM_SERVICES: PlatformServices = {
  controller: false,
  volumes: false,
  loadBalancers: false,
  autoscaler: false,
};
