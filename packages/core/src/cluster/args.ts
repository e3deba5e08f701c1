import type { Arch } from "../contracts/bootstrap.js";
import type { OsUpdatesArgs } from "../contracts/os-updates.js";
import type { Platform } from "../contracts/platform.js";
import type { PlatformServicesArgs } from "../contracts/platform-services.js";
import type { Taint } from "../validation/labels.js";

/** Settings shared by the control plane and every node pool. */
export interface NodeGroupSettingsArgs {
  /** Platform machine size (`t3.medium`, `e2-standard-2`, `4cpu-8gb`). Default: the platform's. */
  machineType?: string;
  /** Labels the kubelet registers the node with. kubernetes.io/k8s.io prefixes are refused except `node.kubernetes.io` and `kubelet.kubernetes.io`. Default none. */
  labels?: Record<string, string>;
  /** Taints the node registers with. Default none for pools; see `ControlPlaneArgs.schedulable`. */
  taints?: Taint[];
  /** Extra kubelet flags, without leading dashes: `{ "max-pods": "200" }`. Default none. */
  kubeletExtraArgs?: Record<string, string>;
  /** Root disk size in GiB, 10 to 16384. Default 30. Disks are always encrypted. */
  diskGiB?: number;
}

/** The control plane. */
export interface ControlPlaneArgs extends NodeGroupSettingsArgs {
  /** Number of control-plane nodes: 1, 3, 5 or 7 (etcd quorum). Default 1. */
  count?: number;
  /** Let ordinary workloads run on control-plane nodes (drops the control-plane taint). Default false. */
  schedulable?: boolean;
}

/** A group of identical worker nodes. */
export interface NodePoolArgs extends NodeGroupSettingsArgs {
  /** Number of nodes, 0 to 5000; the desired size when the pool autoscales. */
  count: number;
  /** Fewest nodes an autoscaler may leave. Default `count`. */
  minCount?: number;
  /** Most nodes an autoscaler may make. Default `count`. */
  maxCount?: number;
  /** Run on spot/preemptible capacity: cheaper, may be reclaimed. Default false. */
  spot?: boolean;
  /**
   * How running machines are replaced when the pool's template changes (a
   * new Kubernetes version, OS option or machine type; see the README's
   * "Pools that roll"). Default: new machines first, nothing unavailable.
   * AWS and GCP; refused on KVM.
   */
  rollout?: RolloutArgs;
  /**
   * The pool's own bootstrap token, which its first-boot payload carries and
   * the cluster holds as `kube-system/bootstrap-token-<id>`. Default
   * `{ generation: 0 }`: one token, never expiring.
   */
  bootstrapToken?: PoolTokenArgs;
}

/**
 * A number of machines (`2`), or a percentage of the pool's size (`"25%"`,
 * 0 to 100; other strings are refused). AWS turns a number into a
 * percentage of the pool's `count`; GCP takes a percentage only for pools
 * of at least 10 machines. A plain `string` in the type, not a template
 * literal: the TypeScript 3.8 Pulumi falls back to cannot read those.
 */
export type RolloutAmountArg = number | string;

/** How a pool's running machines are replaced when its template changes. */
export interface RolloutArgs {
  /**
   * Machines made above the pool's size at a time; old ones go once their
   * replacements are in service. Default: the platform's smallest step, at
   * least one machine (AWS: a tenth of the pool; GCP: one per zone of the
   * region). On GCP a number must be 0 or at least the zones the pool spans.
   */
  maxSurge?: RolloutAmountArg;
  /**
   * Machines that may be missing at a time: faster, and needed where the
   * pool cannot grow (quota). Default 0. On GCP a number must be 0 or at
   * least the zones the pool spans.
   */
  maxUnavailable?: RolloutAmountArg;
}

/** A pool's bootstrap token: when to make a new one, and when it stops working. */
export interface PoolTokenArgs {
  /**
   * Bump it (a whole number, 0 or more) to rotate the token: `pulumi up`
   * makes a new one, gives the pool a new payload (machines made from then
   * on join with it) and deletes the old token's Secret, which revokes it.
   * Running nodes keep their own credentials. Default 0.
   */
  generation?: number;
  /**
   * When the token stops working, as an ISO 8601 UTC time
   * (`2026-11-27T06:00:00Z`): the API server refuses it from then on (and a
   * kubeadm cluster's token cleaner deletes its Secret). No machine of the
   * pool joins after it, so an autoscaled pool cannot grow and a lost node
   * is not replaced. A new time updates the Secret in place, with no new
   * payload; once a cleaner has deleted it, `pulumi up --refresh` makes it
   * again. Default: never.
   */
  expiresAt?: string;
}

/** What every minos cluster accepts, whatever its OS. */
export interface ClusterArgs {
  /** Where machines run: `aws(...)`, `gcp(...)`, `kvm(...)`. */
  platform: Platform;
  /**
   * Kubernetes release, `major.minor.patch`, within the OS's range (minos':
   * 1.31 to 1.37). On a running cluster it moves one minor at a time and
   * never back (refused at preview otherwise), and worker pools take a new
   * one only once the control plane runs it: see the README's "Upgrading".
   * Default: the OS's (`NodeOs.kubernetes`).
   */
  kubernetesVersion?: string;
  /** CPU architecture of every node. Default `amd64`. */
  arch?: Arch;
  /** The control plane. Default one node. */
  controlPlane?: ControlPlaneArgs;
  /** Worker pools by name (1-16 lowercase characters). Default none. */
  nodePools?: Record<string, NodePoolArgs>;
  /** Pod network, IPv4, /8 to /24. Default `10.244.0.0/16`. */
  podCidr?: string;
  /** Service network, IPv4, /12 to /24. Default `10.96.0.0/12`. */
  serviceCidr?: string;
  /** Extra DNS names or IPs for the API server certificate. The endpoint is always included. */
  certSans?: string[];
  /** SSH public keys for the OS's login user. Default none: no SSH access. */
  sshAuthorizedKeys?: string[];
  /** Tags (AWS) or labels (GCP) on every resource, merged with minos' own. */
  tags?: Record<string, string>;
  /**
   * When a short-lived cluster may be deleted, as an ISO 8601 UTC time
   * (`2026-11-27T06:00:00Z`). Stamped on every taggable resource as
   * `minos:expires-at` and exported as `cluster.expiresAt`, for a nightly job
   * that destroys expired stacks. A fixed time, not a duration, so `pulumi up`
   * twice changes nothing: `pulumi config set expiresAt "$(date -u -d +4hours +%FT%TZ)"`.
   * Default none.
   */
  expiresAt?: string;
  /**
   * Pod network plugin installed once the API is ready: `flannel` (VXLAN,
   * pinned release), `cilium` (pinned Helm chart) or `none` to bring your
   * own. An OS that deploys its own (Talos, for flannel) does it itself.
   * Default `flannel`.
   */
  cni?: "flannel" | "cilium" | "none";
  /**
   * How the OS's own updates reach the nodes: `coordinated` (one node at a
   * time, drained first, through the OS's own coordinator that minos
   * deploys) or `off`; optionally only inside a weekly window. Default
   * `{ mode: "coordinated" }`.
   */
  osUpdates?: OsUpdatesArgs;
  /**
   * What workloads get from the platform, each part on by default where the
   * platform has it: its cloud controller (node identity, load balancers),
   * volumes with a default StorageClass, and Services of type
   * `LoadBalancer`. Turn a part off to bring your own. See
   * `docs/platform-services.md`.
   */
  platformServices?: PlatformServicesArgs;
  /** What `cluster.provider` waits for before any workload is sent. */
  readiness?: {
    /**
     * Seconds before giving up, per stage: the API answering, the nodes
     * Ready, and on a change of `kubernetesVersion` the control plane
     * running it (the version gate; worker pools wait for it). Default 1200.
     */
    timeoutSeconds?: number;
    /**
     * `nodes` (default): the API answers and every node of the control plane
     * and the pools (their `count`) reports Ready, after the CNI is in.
     * `api`: the API answers.
     */
    waitFor?: "api" | "nodes";
  };
}
