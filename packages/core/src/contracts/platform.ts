import type * as pulumi from "@pulumi/pulumi";
import type { Arch, NodeRole, PlatformName } from "./bootstrap.js";
import type { ConfigDelivery, ImageRef } from "./image.js";

/** What a platform is told about the cluster it builds a network for. */
export interface PlatformClusterInfo {
  name: string;
  controlPlaneCount: number;
  /** API server port on nodes and endpoint. */
  apiPort: number;
  /**
   * Other control-plane ports the program itself must reach through the
   * endpoint, from the same networks as the API (Talos's apid, 50000).
   */
  controlPlanePorts: number[];
  /** Whether SSH keys were given; platforms open SSH only then. */
  sshEnabled: boolean;
  /** The user's tags; the platform adds its own cluster identity tags. */
  tags: Record<string, string>;
  /** Every machine group the cluster will ask for, in order, before it asks. */
  groups: PlannedGroup[];
}

/** A machine group as planned: what `machines()` will later be asked for. */
export interface PlannedGroup {
  /** The request's `name`. */
  name: string;
  role: NodeRole;
  pool: string;
  count: number;
  maxCount: number;
  firstIndex: number;
  machineType?: string;
  /** Spot/preemptible capacity asked for. */
  spot: boolean;
}

/** The network a platform made (or adopted) for a cluster. */
export interface PlatformNetwork {
  /** The API endpoint, known before any machine exists. */
  endpoint: { host: pulumi.Output<string>; port: number };
  /** Extra names/addresses for the API server certificate (e.g. a load balancer's IP). */
  certSans?: pulumi.Output<string[]>;
  /**
   * Everything that carries traffic to the API: load balancer, listeners or
   * forwarding rules, firewall and security-group rules, routes, NAT. The
   * cluster's readiness gates depend on all of it and its Kubernetes
   * providers on the gates, so `pulumi destroy`, which orders deletes by
   * dependencies alone, removes none of it while a Kubernetes object is left.
   */
  apiPath: pulumi.Resource[];
}

/** A request for a group of identical machines. */
export interface MachinesRequest {
  /** Prefix for resource names: `${cluster}-${role-or-pool}`. */
  name: string;
  /** The cluster's name. */
  cluster: string;
  role: NodeRole;
  pool: string;
  /** How many machines; the desired size of an autoscaled group. */
  count: number;
  /** Autoscaling bounds; both equal `count` for a fixed-size group. */
  minCount: number;
  maxCount: number;
  /** Spot/preemptible capacity. */
  spot: boolean;
  /** Root disk size in GiB; always encrypted. */
  diskGiB: number;
  /** The user's tags; the platform adds its own cluster identity tags. */
  tags: Record<string, string>;
  arch: Arch;
  image: ImageRef;
  /** The first-boot payload; a secret. Opaque to the platform. */
  payload: pulumi.Output<string>;
  delivery: ConfigDelivery;
  /** Platform-specific size, e.g. `t3.medium` or `e2-standard-2`. */
  machineType?: string;
  network: PlatformNetwork;
  /** Position of the first machine in its role, for spreading and fixed addresses. */
  firstIndex: number;
  /**
   * Replace running machines when the group's image or payload changes, a
   * few at a time and new ones first, instead of only giving it to machines
   * made later. For OSes that take updates only as new machines
   * (Bottlerocket). Default false.
   */
  roll?: boolean;
}

/** What a platform returns for a group of machines. */
export interface Machines {
  /** The resources that are the machines (instances, groups, domains). */
  resources: pulumi.Resource[];
  /** Private addresses, where the machines are individually known (control planes; every KVM node). */
  privateIps?: pulumi.Output<string[]>;
  /** The platform's name for an autoscaled group (ASG, managed instance group). */
  groupName?: pulumi.Output<string>;
  /** What routes API traffic to these machines (load-balancer registrations), as `PlatformNetwork.apiPath`. */
  apiPath?: pulumi.Resource[];
}

/**
 * A place machines run: networks, endpoints, firewalls and machines, and
 * nothing about operating systems. It takes an image reference and an opaque
 * payload and makes machines.
 */
export interface Platform {
  readonly name: PlatformName;
  /**
   * The nodes' own network where the platform's arguments fix it (a new VPC
   * or subnet, the KVM network), checked against the pod and service
   * networks before any resource exists.
   */
  readonly nodeCidr?: string;
  /** Refuses what this platform cannot build, with a MinosError, before any resource exists. */
  validate?(cluster: PlatformClusterInfo): void;
  /** Makes the cluster's network and API endpoint. Called once, before any machine. */
  network(cluster: PlatformClusterInfo, parent: pulumi.Resource): PlatformNetwork;
  /** Makes `count` machines booting `image` with `payload`. */
  machines(request: MachinesRequest, parent: pulumi.Resource): Machines;
}
