/** A VPC minos creates for the cluster. */
export interface AwsNewVpcArgs {
  /** VPC network, /16 to /24; subnets are cut from it. Default `10.0.0.0/16`. */
  cidr?: string;
  /** Availability zones to spread subnets and nodes over, 1 to 6. Default 2. */
  azCount?: number;
  /**
   * A NAT gateway (one, in the first zone) so nodes live in private subnets
   * without public IPs. `false` puts nodes in public subnets with public IPs:
   * cheaper for short-lived clusters, reachable only as the security groups
   * allow. Default true.
   */
  natGateway?: boolean;
}

/** Your existing VPC. */
export interface AwsExistingVpcArgs {
  vpcId: string;
  /** Subnets for the nodes (private ones with NAT, or public ones). */
  subnetIds: string[];
  /** Subnets for the internet-facing API load balancer. Default `subnetIds`. */
  publicSubnetIds?: string[];
  /** The VPC's CIDR, to check pod and service networks against it. Optional. */
  cidr?: string;
}

/** Where and how minos makes machines on AWS. */
export interface AwsPlatformArgs {
  /** Use your VPC (`vpcId` + `subnetIds`) or describe the one minos creates. Default: a new VPC. */
  network?: AwsNewVpcArgs | AwsExistingVpcArgs;
  /**
   * Networks allowed to reach the Kubernetes API on 6443.
   * **Default `["0.0.0.0/0"]`: the whole internet** (the API still requires
   * a client certificate or token). Narrow it for anything long-lived.
   */
  apiAllowedCidrs?: string[];
  /** Networks allowed to reach SSH (22), only when SSH keys are given. Default none. */
  sshAllowedCidrs?: string[];
  /** Instance type when a group names none. Default `t3.medium` (amd64) or `t4g.medium` (arm64). */
  defaultInstanceType?: string;
  /**
   * IMDSv2 hop limit. 1 keeps pods (one hop further) away from the node's
   * credentials; 2 lets pods that need instance metadata reach it, and on
   * control-plane nodes the cloud controller's and EBS driver's permissions
   * (docs/security.md). Default 1.
   */
  metadataHopLimit?: 1 | 2;
}
