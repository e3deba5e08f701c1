import type * as pulumi from "@pulumi/pulumi";
import type { KubernetesSupport, KubernetesVersion } from "../kubernetes-versions.js";
import type { Arch, BootstrapContext, NodeRole, PlatformName } from "./bootstrap.js";
import type { ClusterCni } from "./cni.js";
import type { ConfigDelivery, ImageRef } from "./image.js";
import type { OsUpdates } from "./os-updates.js";
import type { PlatformService } from "./platform-services.js";

/** Where an OS may create the resources its image lookup needs. */
export interface ImageScope {
  /** The cluster or node group name, to prefix resource names with. */
  name: string;
  /** The component the resources belong to. */
  parent: pulumi.Resource;
}

/** One node's first-boot payload, as the node receives it. */
export interface NodeConfig {
  /** The payload text: Ignition JSON, Talos YAML, Bottlerocket TOML. */
  payload: string;
  /**
   * What the payload is, for tools that inspect it: minos' own OSes', or
   * any other an OS written elsewhere names.
   */
  format: "ignition" | "talos" | "bottlerocket-toml" | (string & {});
  /**
   * The payload with every key and token replaced by a fingerprint: safe to
   * show, so a preview's diff says what changed. Where the OS offers one.
   */
  redacted?: string;
}

/** One group of machines as rendered: what its nodes booted with, and where they are. */
export interface RenderedGroup {
  /** `control-plane`, `control-plane-join` or `worker/<pool>`, as in `Cluster.nodeConfigs`. */
  key: string;
  role: NodeRole;
  /** The payload its machines were made with (secret). */
  payload: pulumi.Output<string>;
  /** Its machines' private addresses where the platform fixes them (KVM, control planes); none for autoscaled pools. */
  privateIps: pulumi.Output<string[]>;
  /** The resources that are its machines (`Machines.resources`): to depend on, and to tell a replaced one by its id. */
  machines: pulumi.Resource[];
}

/** What an OS's step after the control plane exists is given. */
export interface AfterControlPlaneContext {
  scope: ImageScope;
  platform: PlatformName;
  /** The Kubernetes release the cluster runs. */
  kubernetes: KubernetesVersion;
  /** The API endpoint's host (a load balancer, or the one control-plane node). */
  endpointHost: pulumi.Output<string>;
  /** The first control-plane node's private address. */
  firstControlPlaneIp: pulumi.Output<string>;
  /** Every control-plane node's private address, the first first. */
  controlPlaneIps: pulumi.Output<string[]>;
  /** Workers' private addresses where the platform fixes them (KVM); autoscaled pools have none. */
  workerIps: pulumi.Output<string[]>;
  /** How OS updates are applied (Talos: release changes over its API, one node at a time). */
  osUpdates: OsUpdates;
  /** The control-plane machines, to depend on. */
  controlPlane: pulumi.Resource[];
  /** What carries traffic to the endpoint (`PlatformNetwork.apiPath`), to depend on too. */
  apiPath: pulumi.Resource[];
  /** What `secrets()` made. */
  osSecrets: pulumi.Output<unknown>;
  /**
   * Every group with machines, control plane first: for an OS that hands
   * running nodes a changed config over its own API (Talos).
   */
  groups: RenderedGroup[];
}

/** What a cluster asks of an OS, for the OS to refuse before anything exists. */
export interface ClusterRequest {
  /** Where the nodes run: an OS without images or a delivery there for `arch` refuses it here. */
  platform: PlatformName;
  /**
   * The release the nodes render. For a node group joining a cluster
   * (`joining`), the release it asks for; it renders the one the control
   * plane runs, known only at deploy time.
   */
  kubernetes: KubernetesVersion;
  arch: Arch;
  osUpdates: OsUpdates;
  cni: ClusterCni;
  /** Set when a node group joins a cluster it did not make. */
  joining?: true;
}

/** What an OS's own cluster add-ons are given. */
export interface OsAddonContext {
  /** The cluster name, to prefix resource names with. */
  name: string;
  /** The cluster's service network, where an add-on may need a fixed address. */
  serviceCidr: string;
  osUpdates: OsUpdates;
  /** Parent and the provider that reaches the cluster once its API answers. */
  opts: pulumi.CustomResourceOptions;
}

/**
 * An operating system as minos sees it: images and first-boot configuration,
 * and nothing about clouds. One implementation per OS package; OS options
 * (channel, mirrors, extra config) are bound when the NodeOs is made.
 */
export interface NodeOs {
  /** e.g. `flatcar`. */
  readonly name: string;
  /**
   * The names of the OS's own options, which a cluster's arguments carry
   * beside ClusterArgs: with them, any other key is refused as a typo.
   */
  readonly optionKeys?: readonly string[];
  /** Platforms this OS has images and a config delivery for. */
  readonly platforms: readonly PlatformName[];
  /**
   * Kubernetes minors this OS runs and its clusters' default version.
   * Default: minos' own range and default (`KUBERNETES_SUPPORT`).
   */
  readonly kubernetes?: KubernetesSupport;
  /**
   * Image of this OS for a platform and architecture. Called once per
   * cluster; an OS whose images are listed in release metadata may create a
   * resource under `scope` that reads it at deploy time.
   */
  image(platform: PlatformName, arch: Arch, scope: ImageScope): ImageRef;
  /**
   * How the payload of `role` reaches a node on a platform. An OS that
   * delivers every role alike ignores `role`; without it, the delivery of
   * workers (a node group's, and what `Cluster.delivery` reports).
   */
  delivery(platform: PlatformName, role?: NodeRole): ConfigDelivery;
  /** First-boot config for one role. Pure: same inputs, same bytes. */
  render(role: NodeRole, ctx: BootstrapContext): NodeConfig;
  /**
   * Secrets the OS needs beyond Kubernetes' own (Talos: its OS CA, machine
   * token, cluster id), made once per cluster under `scope`; they reach
   * `render` as `ctx.osSecrets`. All outputs secret.
   */
  secrets?(scope: ImageScope): pulumi.Output<unknown>;
  /**
   * A step once the control plane's machines exist (Talos: bootstrap etcd
   * over its API). The readiness gate waits for what it returns.
   */
  afterControlPlane?(ctx: AfterControlPlaneContext): pulumi.Resource[];
  /**
   * What moves a running control plane to Kubernetes `to` on this OS, as an
   * instruction (no final period): the cluster's version gate logs it while
   * it waits for the control plane, and names it if it gives up. kubeadm
   * OSes: `kubeadmUpgradeSteps`. Default: move it as the OS documents.
   */
  controlPlaneUpgrade?(to: KubernetesVersion): string;
  /**
   * Refuses what this OS cannot do for a cluster (a Kubernetes build it
   * lacks, an update window its agent cannot keep, a CNI it cannot run),
   * with a MinosError naming the argument. Runs before any resource exists:
   * for a cluster of this OS, and for a node group of it joining another.
   */
  validate?(cluster: ClusterRequest): void;
  /**
   * Cluster add-ons the OS needs, installed through the cluster's provider
   * once the API answers: its update coordinator (Flatcar: kured; FCOS: a
   * FleetLock server for Zincati).
   */
  addons?(ctx: OsAddonContext): pulumi.Resource[];
  /**
   * The OS moves running machines to new releases itself (Flatcar's
   * update_engine, Fedora CoreOS's Zincati), so a new image is no reason to
   * replace a worker pool's machines: pools keep the image they were made
   * with in their template (`ImageUpdates` `keep`). Otherwise a new image
   * rolls a pool when OS updates are coordinated (Bottlerocket, Talos).
   */
  readonly updatesInPlace?: boolean;
  /**
   * Its control-plane nodes can hold a virtual API address among themselves
   * (kube-vip on kubeadm OSes, Talos's own VIP): what a platform without a
   * load balancer asks for (`Platform.virtualIp`).
   */
  readonly holdsVirtualIp?: boolean;
  /** Control-plane ports the program must reach through the endpoint (Talos's apid). */
  readonly controlPlanePorts?: readonly number[];
  /** Whether the OS deploys this CNI itself (Talos: flannel); minos then installs none. */
  providesCni?(cni: "flannel" | "cilium"): boolean;
  /** Helm values the OS needs for Cilium (Talos: cgroup and capability settings). */
  readonly ciliumValues?: Record<string, unknown>;
  /**
   * An absolute directory on the node where volumes kept on the node's own
   * disk can live: writable, and kept across reboots and OS updates
   * (`/var/local-path-provisioner` on Flatcar, Fedora CoreOS and Talos). On
   * a platform whose volumes live there (`PlatformDescription.localVolumes`,
   * KVM), nodes are told it as `BootstrapContext.localVolumes` and the
   * platform's add-ons provision volumes in it. None: such a platform makes
   * no local volumes for this OS.
   */
  readonly localVolumePath?: string;
  /**
   * Parts of `PlatformServices` this OS cannot take on a platform, each with
   * why (Talos on GCP: the persistent-disk driver's node plugin mounts the
   * host's `/etc/udev`, which Talos's read-only root lacks). Such a part is
   * off there by default, and refused when asked for. Default: none.
   */
  unavailableServices?(platform: PlatformName): Partial<Record<PlatformService, string>>;
  /**
   * What this OS's workers do with their pool's bootstrap token, which
   * decides the usages of the token's Secret: `kubeadm` (kubeadm join checks
   * the API server against the `cluster-info` ConfigMap the token signs, then
   * the kubelet's TLS bootstrap authenticates with it), `tls-bootstrap` (the
   * kubelet's TLS bootstrap only: Talos, Bottlerocket on a minos cluster) or
   * `none` (its workers take no token: Bottlerocket on EKS, with its IAM
   * role). Default `kubeadm`.
   */
  readonly workerToken?: WorkerToken;
  /**
   * The group bootstrap tokens carry in clusters of this OS
   * (`auth-extra-groups`): the one its control plane lets post node CSRs
   * and has them approved. Default kubeadm's
   * `system:bootstrappers:kubeadm:default-node-token` (Talos:
   * `system:bootstrappers:nodes`).
   */
  readonly bootstrapTokenGroup?: string;
  /**
   * Where to look on a node that never becomes ready, as a sentence fragment
   * (Flatcar: `journalctl -u kubeadm` and `-u kubelet`; Talos: `talosctl
   * dmesg` and `talosctl logs`). The readiness gates' timeout errors say it,
   * after the platform's `serialConsole`.
   */
  readonly troubleshooting?: string;
}

/**
 * The directory minos' own OSes keep node-local volumes in
 * (`NodeOs.localVolumePath`): under /var, which is writable and kept on
 * Flatcar, Fedora CoreOS and Talos alike, so nodes of different OSes in one
 * cluster agree. Talos documents it for local-path-provisioner (its
 * `/opt` is read-only), and container-selinux labels it `container_file_t`.
 */
export const VAR_LOCAL_VOLUMES = "/var/local-path-provisioner";

/** How an OS's workers use their pool's bootstrap token (`NodeOs.workerToken`). */
export type WorkerToken = "kubeadm" | "tls-bootstrap" | "none";

/**
 * What rendering a payload asks of an OS, and nothing that makes resources:
 * its name and options, the platforms and Kubernetes releases it runs, the
 * checks it makes of a cluster, how a payload reaches a node, and the
 * payload itself. Each OS package's `/render` entry makes one without
 * loading the Pulumi SDK (`minos render`); its NodeOs adds the rest to it.
 */
export type NodeRenderer = Pick<
  NodeOs,
  | "name"
  | "optionKeys"
  | "platforms"
  | "kubernetes"
  | "validate"
  | "providesCni"
  | "localVolumePath"
  | "unavailableServices"
  | "delivery"
  | "render"
>;
