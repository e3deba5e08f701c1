/** A VPC network minos creates for the cluster. */
export interface GcpNewNetworkArgs {
  /** The regional subnet for nodes, /16 to /28. Default `10.0.0.0/20`. */
  cidr?: string;
}

/** Your existing network and regional subnetwork. */
export interface GcpExistingNetworkArgs {
  /** Network name or self link. */
  network: string;
  /** Subnetwork name or self link, in `region`. */
  subnetwork: string;
  /** The subnetwork's range, to check pod and service networks against it. Optional. */
  cidr?: string;
}

/** Where and how minos makes machines on Google Cloud. */
export interface GcpPlatformArgs {
  /** Region for the subnet, load balancer and node groups, e.g. `europe-west1`. */
  region: string;
  /** A new network (default) or yours (`network` + `subnetwork`). */
  network?: GcpNewNetworkArgs | GcpExistingNetworkArgs;
  /**
   * Networks allowed to reach the Kubernetes API on 6443.
   * **Default `["0.0.0.0/0"]`: the whole internet** (the API still requires
   * a client certificate or token). Narrow it for anything long-lived.
   */
  apiAllowedCidrs?: string[];
  /** Networks allowed to reach SSH (22), only when SSH keys are given. Default none. */
  sshAllowedCidrs?: string[];
  /** Machine type when a group names none. Default `e2-standard-2`. */
  defaultMachineType?: string;
  /** Give workers external IPs instead of egress through Cloud NAT. Default false. */
  workerExternalIps?: boolean;
}
