/** The ids a node group joining a GCP cluster needs (`Site.ids`), and the cluster's add-ons. */
export type GcpSiteIds = {
  subnetwork: string;
  workerServiceAccount: string;
  /** The network tag the cluster's firewall rules let nodes talk by. */
  nodeTag: string;
  /** Where payloads the OS can point to are kept; workers may read `worker/`. */
  payloadBucket: string;
  /** The cluster's project (its accounts'), for the cloud controller's config. */
  project: string;
  /** The cluster's network, a name or self link, for the cloud controller's config. */
  network: string;
};
