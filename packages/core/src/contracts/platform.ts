import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesVersion } from "../kubernetes-versions.js";
import type { Arch, NodeRole, PlatformName } from "./bootstrap.js";
import type { ConfigDelivery, ImageRef } from "./image.js";
import type { PlatformService, PlatformServices } from "./platform-services.js";
import type { ImageUpdates, PoolRollout } from "./rollout.js";

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
  /**
   * The CPU architecture every machine runs, so a platform can refuse a
   * machine type of the other one. Absent from platforms' older callers.
   */
  arch?: Arch;
  /**
   * What the cluster takes from the platform (`ClusterArgs.platformServices`,
   * resolved against `PlatformDescription.services`), so the site makes
   * what those parts need before any machine (roles, scopes, tags) and the
   * platform can refuse a combination it cannot serve. Absent: none.
   */
  services?: PlatformServices;
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
  /** A worker pool's rollout as the user set it (`nodePools.<pool>.rollout`); absent when unset. */
  rollout?: PoolRollout;
  /**
   * How the OS hands this group its config there (`NodeOs.delivery`), so a
   * platform can refuse what a delivery makes unsafe. Absent for groups
   * planned without an OS at hand.
   */
  delivery?: ConfigDelivery["kind"];
}

/** The largest first-boot payload a platform can hand a node, and whose limit it is. */
export interface PayloadLimit {
  bytes: number;
  /** e.g. `EC2 user-data limit`. */
  what: string;
}

/**
 * What a platform is without any resource: its name and the payload limits
 * of its deliveries. Light enough for tools that render payloads but make no
 * resources (`minos render`), so a platform package exports it on its own.
 */
export interface PlatformDescription {
  /** `aws`, `gcp`, `kvm`, or any name a platform written elsewhere takes. */
  readonly name: PlatformName;
  /** The payload limit of a delivery, where the platform has one. */
  payloadLimit?(delivery: ConfigDelivery): PayloadLimit | undefined;
  /**
   * Its clusters' volumes live on the nodes' own disks (KVM), in the OS's
   * `NodeOs.localVolumePath`: every node is told that directory
   * (`BootstrapContext.localVolumes`), so the OS makes it usable whether or
   * not an add-on provisions volumes there. Default: no.
   */
  readonly localVolumes?: boolean;
  /**
   * The parts of `PlatformServices` this platform can give a cluster. With
   * `controller`, kubelets start with the external cloud provider
   * (`BootstrapContext.externalCloudProvider`) and the platform's add-ons
   * run its cloud controller. Default: none.
   */
  readonly services?: readonly PlatformService[];
  /**
   * Parts that work here only with the controller (AWS: EBS volumes read
   * the zone and provider ID it gives each Node; load balancers are the
   * controller's own). They follow `controller` when not set, and are
   * refused on without it. The autoscaler always needs it.
   */
  readonly servicesNeedingController?: readonly PlatformService[];
}

/** What a platform's cluster add-ons are given. */
export interface PlatformAddonContext {
  /** The cluster name, to prefix resource names with. */
  name: string;
  /**
   * Where the cluster's OS keeps volumes on a node's own disk
   * (`NodeOs.localVolumePath`), on a platform with `localVolumes`; absent
   * where the OS names none.
   */
  localVolumePath?: string;
  /** The parts the cluster takes from the platform; the add-ons install those that are on. */
  services: PlatformServices;
  /**
   * The Kubernetes release the cluster asks for, for add-ons built per
   * minor (cluster-autoscaler). Absent from platforms' older callers.
   */
  kubernetes?: KubernetesVersion;
  /** The cluster's site ids (`Site.ids`): its network, subnets and names. */
  ids: pulumi.Input<SiteIds>;
  /** The cluster's pod network, for controllers that route or police it. */
  podCidr: string;
  /** Parent and the provider that reaches the cluster once its API answers. */
  opts: pulumi.CustomResourceOptions;
}

/**
 * What one cluster's place on a platform holds (network, endpoint, storage,
 * roles) and where its machines go. A platform makes one per cluster, and
 * one per node group joining a cluster made elsewhere.
 */
export interface Site {
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
  /**
   * What a node group joining from elsewhere needs to put machines here
   * (subnets, security groups, the payload bucket, the libvirt network):
   * plain ids, passed back to `joinSite` through `JoinInfo.site`.
   */
  ids: pulumi.Input<SiteIds>;
  /**
   * Makes one planned group's machines, booting `image` with `payload`.
   * Throws for a group the site was not planned with.
   */
  machines(request: MachinesRequest): Machines;
}

/** A site's ids, as a platform records them: names and lists of names. */
export type SiteIds = Record<string, string | string[]>;

/** What a platform is told about a node group joining a cluster it made elsewhere. */
export interface PlatformJoinInfo {
  /** The node group's name, to prefix resource names with. */
  name: string;
  /** The name of the cluster it joins. */
  cluster: string;
  /** The joined cluster's site ids (`Site.ids`), maybe from another stack. */
  ids: pulumi.Input<SiteIds>;
  tags: Record<string, string>;
  sshEnabled: boolean;
  /** Every group the node group will ask for, before it asks. */
  groups: PlannedGroup[];
}

/** A request for a group of identical machines. */
export interface MachinesRequest {
  /** Prefix for resource names: `${cluster}-${role-or-pool}`; a planned group's name. */
  name: string;
  /** The cluster's (or node group's) name. */
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
  /** Position of the first machine in its role, for spreading and fixed addresses. */
  firstIndex: number;
  /**
   * A worker pool's rollout as the user set it; absent when unset. A
   * platform whose pools roll replaces running machines whenever the
   * pool's template changes (payload, machine type, disk, image), new ones
   * first and nothing unavailable unless this says otherwise.
   */
  rollout?: PoolRollout;
  /** Whether a new image rolls the pool, stays out of its template, or waits for new machines. */
  imageUpdates: ImageUpdates;
}

/** What a platform returns for a group of machines. */
export interface Machines {
  /** The resources that are the machines (instances, groups, domains). */
  resources: pulumi.Resource[];
  /** Private addresses, where the machines are individually known (control planes; every KVM node). */
  privateIps?: pulumi.Output<string[]>;
  /** The platform's name for an autoscaled group (ASG, managed instance group). */
  groupName?: pulumi.Output<string>;
  /** What routes API traffic to these machines (load-balancer registrations), as `Site.apiPath`. */
  apiPath?: pulumi.Resource[];
}

/** An address space clusters of one program share (see `Platform.addressSpace`). */
export interface AddressSpace {
  /** Names the space in errors, and tells spaces apart: `the KVM host localhost`. */
  readonly id: string;
  /** The platform argument that sets a cluster's node network there, e.g. `cidr`. */
  readonly cidrArgument: string;
}

/**
 * A place machines run: networks, endpoints, firewalls and machines, and
 * nothing about operating systems. It takes an image reference and an opaque
 * payload and makes machines. A platform package exports a function that
 * checks its arguments and returns one; one value serves any number of
 * clusters, each with a site of its own.
 */
export interface Platform extends PlatformDescription {
  /**
   * The nodes' own network where the platform's arguments fix it (a new VPC
   * or subnet, the KVM network), checked against the pod and service
   * networks before any resource exists.
   */
  readonly nodeCidr?: string;
  /**
   * Where clusters of one program share an address space (KVM: every
   * network on one libvirt host): their node networks, and each one's pod
   * and service networks against the others' node networks, must not
   * overlap. Absent where each cluster's network is its own (a new cloud
   * VPC, isolated unless peered), so clusters may reuse ranges.
   */
  readonly addressSpace?: AddressSpace;
  /**
   * Refuses what this platform cannot build for a cluster or node group,
   * with a MinosError, before any resource exists.
   */
  validate?(cluster: PlatformClusterInfo): void;
  /**
   * Whether this cluster's API endpoint is a virtual address its
   * control-plane nodes hold among themselves, with no load balancer in
   * front (KVM with several control-plane nodes). The OS must then run what
   * holds it (`NodeOs.holdsVirtualIp`). Default: never.
   */
  virtualIp?(cluster: PlatformClusterInfo): boolean;
  /**
   * How to read a machine's serial console here, as a sentence fragment
   * (KVM: `virsh console <domain>`; a cloud's serial output). The readiness
   * gates' timeout errors say it, before the OS's `troubleshooting`.
   */
  readonly serialConsole?: string;
  /**
   * Cluster add-ons the platform gives its clusters, for the parts of
   * `PlatformServices` that are on, installed through the cluster's
   * provider once the API answers, beside the CNI and the OS's own: the
   * cloud controller, a CSI driver and its default StorageClass, a load
   * balancer implementation (KVM: node-local volumes, L2 addresses). The
   * nodes-ready gate waits for them: with the external cloud provider, a
   * node is initialized only once the controller runs.
   */
  addons?(ctx: PlatformAddonContext): pulumi.Resource[];
  /** Makes a cluster's site: its network and API endpoint. Called once per cluster, before any machine. */
  site(cluster: PlatformClusterInfo, parent: pulumi.Resource): Site;
  /**
   * A site for worker pools joining a cluster made elsewhere (this program
   * or another stack), inside that cluster's network, from its site ids.
   */
  joinSite(group: PlatformJoinInfo, parent: pulumi.Resource): Site;
}

/**
 * Throws unless a request is for a group the site was planned with: a
 * request out of the plan would get no address, no name or no firewall.
 */
export function plannedGroup(
  platform: string,
  groups: readonly PlannedGroup[],
  request: MachinesRequest,
): PlannedGroup {
  const planned = groups.find((g) => g.name === request.name);
  if (!planned)
    throw new Error(
      `minos: the ${platform} site was asked for machines of ${request.name}, which it was not planned with (${groups.map((g) => g.name).join(", ") || "none"})`,
    );
  return planned;
}

/** As `plannedGroup`, for a site that makes worker pools only (a joining node group's). */
export function plannedWorkers(
  platform: string,
  groups: readonly PlannedGroup[],
  request: MachinesRequest,
): PlannedGroup {
  const planned = plannedGroup(platform, groups, request);
  if (request.role !== "worker")
    throw new Error(
      `minos: the ${platform} site of a joining node group makes workers only, not ${request.role}`,
    );
  return planned;
}
