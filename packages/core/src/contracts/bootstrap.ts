import type { KubernetesVersion } from "../kubernetes-versions.js";
import type { Taint } from "../validation/labels.js";
import type { OsUpdates } from "./os-updates.js";

/** The three jobs a node can have at first boot. */
export type NodeRole = "control-plane" | "control-plane-join" | "worker";
export const NODE_ROLES: readonly NodeRole[] = ["control-plane", "control-plane-join", "worker"];

/** The platforms minos ships (`@minos/aws`, `@minos/gcp`, `@minos/kvm`). */
export type MinosPlatform = "aws" | "gcp" | "kvm";
export const MINOS_PLATFORMS: readonly MinosPlatform[] = ["aws", "gcp", "kvm"];

/**
 * A platform's name: one of minos' own, or any other a platform package
 * written elsewhere takes (an OS lists the ones it has images for).
 */
export type PlatformName = MinosPlatform | (string & {});

/** CPU architectures, in Kubernetes' spelling. */
export type Arch = "amd64" | "arm64";
export const ARCHES: readonly Arch[] = ["amd64", "arm64"];

/** A certificate and its private key, PEM-encoded. */
export interface KeyPair {
  certPem: string;
  keyPem: string;
}

/** What any node needs to join: public CA facts and the bootstrap token. */
export interface JoinMaterial {
  /** Cluster CA certificate, PEM. */
  caCertPem: string;
  /**
   * The bootstrap token this node joins with, `[a-z0-9]{6}.[a-z0-9]{16}`: a
   * worker's is its pool's own, a control-plane node's the cluster's
   * (`ClusterSecrets`); `""` where the OS's workers take none (EKS).
   */
  bootstrapToken: string;
  /** `sha256:<hex>` of the cluster CA's SubjectPublicKeyInfo, for join discovery. */
  caCertHash: string;
}

/** The CA keys only control-plane nodes hold. Workers never see this type. */
export interface ControlPlaneMaterial {
  /** Kubernetes cluster CA. */
  ca: KeyPair;
  /** Front-proxy (aggregation layer) CA. */
  frontProxyCa: KeyPair;
  /** etcd CA. */
  etcdCa: KeyPair;
  /** Service-account token signing key pair. */
  serviceAccount: { publicKeyPem: string; privateKeyPem: string };
}

/**
 * Every secret a cluster's nodes need, as plain text. The Pulumi program makes
 * them (see `ClusterSecrets`) before any machine exists, which is why no node
 * ever has to be logged into to read a token or copy a certificate.
 */
export interface ClusterSecretMaterial {
  join: JoinMaterial;
  controlPlane: ControlPlaneMaterial;
}

/** What one group of identical nodes (a pool, or the control plane) asks for. */
export interface NodeSettings {
  /** Pool name; `control-plane` for control-plane nodes. */
  pool: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** Extra kubelet flags, without leading dashes. */
  kubeletExtraArgs: Record<string, string>;
  /** SSH public keys for the OS's login user; none by default. */
  sshAuthorizedKeys: string[];
}

/**
 * Everything a NodeOs needs to render one node's first-boot configuration.
 * Plain values only: rendering is pure and deterministic.
 */
export interface BootstrapContext {
  clusterName: string;
  /** The Kubernetes release, parsed once (`text`: `1.37.1`). */
  kubernetes: KubernetesVersion;
  /**
   * Where the API server is reached: a load balancer or a fixed address.
   * `virtualIp`: `host` is an address the control-plane nodes hold
   * themselves, one at a time (`Platform.virtualIp`).
   */
  endpoint: { host: string; port: number; virtualIp?: boolean };
  podCidr: string;
  serviceCidr: string;
  /** Extra names and addresses for the API server certificate. */
  certSans: string[];
  platform: PlatformName;
  arch: Arch;
  join: JoinMaterial;
  /** Present for control-plane roles only, so a worker's config cannot carry CA keys. */
  controlPlane?: ControlPlaneMaterial;
  node: NodeSettings;
  /** How the OS's own updates are applied: its update agent is configured to match. */
  osUpdates: OsUpdates;
  /** What the OS's own `secrets()` made, if it has any; the OS reads its own type back. */
  osSecrets?: unknown;
  /**
   * Where the platform keeps volumes on this node's own disk: the OS's
   * `localVolumePath`, on a platform whose volumes live there (KVM). The
   * OS makes it usable (Talos: a kubelet mount; Fedora CoreOS: the
   * directory with its SELinux label). Absent elsewhere.
   */
  localVolumes?: string;
  /**
   * The cluster runs the platform's cloud controller
   * (`PlatformServices.controller`): the kubelet starts with
   * `--cloud-provider=external`, so it registers tainted
   * `node.cloudprovider.kubernetes.io/uninitialized` until the controller
   * has initialized it, and the node must be one the controller finds: its
   * `spec.providerID` set from the platform's metadata, or its name the
   * platform's own (AWS: the private DNS name; GCP: the instance name).
   */
  externalCloudProvider?: boolean;
}
