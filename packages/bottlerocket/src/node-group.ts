import { eks } from "@minos/aws";
import type {
  Arch,
  ClusterRef,
  JoinInfo,
  NodePoolArgs,
  OsUpdates,
  OsUpdatesArgs,
} from "@minos/core";
import {
  ARCHES,
  Cluster,
  MinosError,
  NodeGroup,
  optionKeys,
  parseKubernetesVersion,
  refuseUnknownKeys,
  validateOsUpdates,
} from "@minos/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BottlerocketOptions } from "./node-os.js";
import { bottlerocketOs } from "./node-os.js";
import { unsupported } from "./node-renderer.js";
import { bottlerocketVariant } from "./variants.js";

/** An EKS cluster to join: the AWS resource, an `@pulumi/eks` cluster, or its facts. */
export type EksClusterSource =
  | aws.eks.Cluster
  | { eksCluster: aws.eks.Cluster }
  | {
      name: pulumi.Input<string>;
      /** `https://...` */
      endpoint: pulumi.Input<string>;
      /** The cluster CA as EKS gives it: base64 of the PEM. */
      certificateAuthorityData: pulumi.Input<string>;
      /** Where nodes run. */
      subnetIds: pulumi.Input<string[]>;
      /** Security groups for the nodes (the cluster security group, typically). */
      securityGroupIds: pulumi.Input<string>[];
    };

/** Arguments of a BottlerocketNodeGroup. */
export interface BottlerocketNodeGroupArgs extends BottlerocketOptions {
  /**
   * The cluster to join: a minos cluster made in this program (on AWS), or an
   * EKS cluster.
   */
  cluster: Cluster | EksClusterSource;
  /** Worker pools by name. At least one. */
  nodePools: Record<string, NodePoolArgs>;
  /**
   * The EKS cluster's Kubernetes version (`1.35.2`): it picks the variant,
   * whose kubelet must match the cluster's minor. Required for EKS; a minos
   * cluster's own is used otherwise.
   */
  kubernetesVersion?: string;
  /** CPU architecture. Default `amd64`. */
  arch?: Arch;
  /** Tags on every resource. Default none. */
  tags?: Record<string, string>;
  /**
   * EKS only (a minos cluster's own applies otherwise): `coordinated` rolls
   * each pool, new machines first, onto a new AMI; `off` gives a new AMI only
   * to machines made later. A change to the settings rolls pools either way.
   * Default `{ mode: "coordinated" }`.
   */
  osUpdates?: OsUpdatesArgs;
}

/**
 * Bottlerocket worker pools joining a cluster someone else runs: any minos
 * cluster in the same program (through its join information, in its own
 * network and firewall), or an EKS cluster (IAM role, access entry, launch
 * template and auto-scaling group in the cluster's subnets). AWS only.
 */
export class BottlerocketNodeGroup extends NodeGroup {
  /** The variant the nodes run, e.g. `aws-k8s-1.35`. */
  readonly variant: string;

  constructor(
    name: string,
    args: BottlerocketNodeGroupArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    if (typeof args !== "object" || args === null)
      throw new MinosError("args", args, "pass { cluster, nodePools, ... }");
    refuseUnknownKeys("", args, NODE_GROUP_KEYS);
    const minos = args.cluster instanceof Cluster ? args.cluster : undefined;
    if (!minos) checkEksSource(args.cluster);
    if (minos && minos.platform.name !== "aws") throw unsupported(minos.platform.name);
    const kubernetesVersion = minos?.kubernetesVersion ?? args.kubernetesVersion;
    if (!minos && kubernetesVersion === undefined)
      throw new MinosError(
        "kubernetesVersion",
        undefined,
        "give the EKS cluster's Kubernetes version: it picks the Bottlerocket variant",
      );
    if (
      minos &&
      args.kubernetesVersion !== undefined &&
      args.kubernetesVersion !== minos.kubernetesVersion
    )
      throw new MinosError(
        "kubernetesVersion",
        args.kubernetesVersion,
        `leave it unset: the cluster runs ${minos.kubernetesVersion}, and its nodes must match`,
      );
    if (minos && args.osUpdates !== undefined)
      throw new MinosError(
        "osUpdates",
        args.osUpdates,
        "leave it unset: pools joining a minos cluster follow the cluster's osUpdates",
      );
    const osUpdates = validateOsUpdates("osUpdates", args.osUpdates);
    if (osUpdates.window)
      throw new MinosError(
        "osUpdates.window",
        osUpdates.window,
        "Bottlerocket pools roll when pulumi up changes their AMI; there is no agent to keep a window",
      );
    const arch = args.arch ?? "amd64";
    if (!ARCHES.includes(arch)) throw new MinosError("arch", arch, `use ${ARCHES.join(" or ")}`);
    const os = bottlerocketOs(
      args,
      minos ? { kind: "bootstrap-token" } : { kind: "eks" },
      kubernetesVersion as string,
    );
    const variant = bottlerocketVariant(kubernetesVersion as string, args.flavor ?? "standard");
    super(
      "minos:bottlerocket:BottlerocketNodeGroup",
      name,
      os,
      {
        cluster:
          minos ??
          eksCluster(args.cluster as EksClusterSource, kubernetesVersion as string, osUpdates),
        nodePools: args.nodePools,
        arch,
        ...(args.tags && { tags: args.tags }),
      },
      opts,
      () => ({ variant }),
    );
    this.variant = variant;
  }
}

/** What a BottlerocketNodeGroup takes: anything else is a typo, or another OS's option. */
const NODE_GROUP_KEYS = optionKeys<BottlerocketNodeGroupArgs>({
  cluster: true,
  nodePools: true,
  kubernetesVersion: true,
  arch: true,
  tags: true,
  osUpdates: true,
  flavor: true,
  amiId: true,
  controlContainer: true,
  adminContainer: true,
  maxPods: true,
  sysctls: true,
  extraSettings: true,
});

/** The facts an EKS source must give, checked before anything is made (a JavaScript caller may pass anything). */
function checkEksSource(source: unknown): void {
  const allowed =
    "pass a minos cluster on aws, an aws.eks.Cluster, { eksCluster }, or the EKS cluster's name, endpoint, certificateAuthorityData, subnetIds and securityGroupIds";
  if (typeof source !== "object" || source === null)
    throw new MinosError("cluster", source, allowed);
  if (source instanceof aws.eks.Cluster) return;
  if ("eksCluster" in source) {
    if (!((source as { eksCluster: unknown }).eksCluster instanceof aws.eks.Cluster))
      throw new MinosError("cluster.eksCluster", source.eksCluster, allowed);
    return;
  }
  const facts = source as Record<string, unknown>;
  const missing = ["name", "endpoint", "certificateAuthorityData", "subnetIds", "securityGroupIds"];
  if (missing.some((key) => facts[key] === undefined) || !Array.isArray(facts.securityGroupIds))
    throw new MinosError("cluster", source, allowed);
  // Known now, checked now; an Output is checked once EKS reports it.
  if (typeof facts.endpoint === "string" && !/^https:\/\/[^/:]+(:\d+)?\/?$/.test(facts.endpoint))
    throw new MinosError(
      "cluster.endpoint",
      facts.endpoint,
      "use the EKS cluster's https:// endpoint",
    );
}

/** The EKS facts a node needs, from any of the sources. */
function eksFacts(source: EksClusterSource) {
  const cluster = "eksCluster" in source ? source.eksCluster : source;
  if (cluster instanceof aws.eks.Cluster) {
    return {
      name: cluster.name,
      endpoint: cluster.endpoint,
      caData: cluster.certificateAuthority.data,
      version: cluster.version as pulumi.Output<string> | undefined,
      subnetIds: cluster.vpcConfig.subnetIds,
      securityGroupIds: [cluster.vpcConfig.clusterSecurityGroupId],
    };
  }
  const facts = cluster as Extract<EksClusterSource, { certificateAuthorityData: unknown }>;
  return {
    name: pulumi.output(facts.name),
    endpoint: pulumi.output(facts.endpoint),
    caData: pulumi.output(facts.certificateAuthorityData),
    version: undefined,
    subnetIds: pulumi.output(facts.subnetIds),
    securityGroupIds: facts.securityGroupIds,
  };
}

/**
 * An EKS cluster as a cluster to join: `eks` from `@minos/aws` places the
 * pools, and its facts are the join information (no bootstrap token: EKS
 * nodes authenticate with their IAM role).
 */
function eksCluster(
  source: EksClusterSource,
  kubernetesVersion: string,
  osUpdates: OsUpdates,
): ClusterRef {
  const facts = eksFacts(source);
  // The cluster's own minor must be the variant's: checked once EKS reports it.
  const version: pulumi.Output<string | undefined> = facts.version ?? pulumi.output(undefined);
  return {
    platform: eks({
      clusterName: facts.name,
      subnetIds: facts.subnetIds,
      securityGroupIds: facts.securityGroupIds,
    }),
    kubernetesVersion,
    // EKS runs its own VPC CNI, which every Bottlerocket EKS variant carries.
    cni: { plugin: "none", deployedBy: "user" },
    osUpdates,
    join: pulumi
      .all([facts.name, facts.endpoint, facts.caData, version])
      .apply(([clusterName, endpoint, caData, reported]) => {
        checkEksVersion(reported, kubernetesVersion);
        return eksJoinInfo(clusterName, endpoint, caData, kubernetesVersion, osUpdates);
      }),
  };
}

/** Fails when EKS reports a minor other than the one the variant was picked for. */
export function checkEksVersion(reported: string | undefined, kubernetesVersion: string): true {
  const { minor } = parseKubernetesVersion("kubernetesVersion", kubernetesVersion);
  if (reported !== undefined && reported !== `1.${minor}` && !reported.startsWith(`1.${minor}.`))
    throw new MinosError(
      "kubernetesVersion",
      kubernetesVersion,
      `the EKS cluster runs ${reported}; use a ${reported} release so the kubelet matches`,
    );
  return true;
}

/** Join information from EKS facts: no bootstrap token, no CIDRs (EKS's own CNI). */
function eksJoinInfo(
  clusterName: string,
  endpoint: string,
  caData: string,
  kubernetesVersion: string,
  osUpdates: OsUpdates,
): JoinInfo {
  // EKS endpoints are https://<HEX>.<zone>.<region>.eks.amazonaws.com; keep them as given.
  const match = /^https:\/\/([^/:]+)(?::(\d+))?\/?$/.exec(endpoint);
  if (!match)
    throw new MinosError("cluster.endpoint", endpoint, "use the EKS cluster's https:// endpoint");
  return {
    clusterName,
    kubernetesVersion,
    endpoint: { host: match[1] as string, port: Number(match[2] ?? 443) },
    podCidr: "",
    serviceCidr: "",
    caCertPem: Buffer.from(caData, "base64").toString(),
    caCertHash: "",
    osUpdates,
    site: {},
  };
}
