import {
  ARCHES,
  type Arch,
  type BootstrapContext,
  Cluster,
  COORDINATED_UPDATES,
  joinRequest,
  type Machines,
  MinosError,
  machineRequest,
  NodeGroup,
  type NodePoolArgs,
  type OsUpdatesArgs,
  parseKubernetesVersion,
  planGroup,
  resolvePools,
  rollsPools,
  validateOsUpdates,
} from "@minos/core";
import { awsWorkerPool, EC2_ASSUME_ROLE_POLICY, resolveAmi } from "@minos/core/aws";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type BottlerocketOptions, bottlerocketOs, unsupported } from "./node-os.js";
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
   * each pool, new machines first, when its AMI or settings change; `off`
   * gives them only to machines made later. Default `{ mode: "coordinated" }`.
   */
  osUpdates?: OsUpdatesArgs;
}

/** Policies EKS worker nodes need (AWS's managed policies), plus SSM for the control container. */
const EKS_NODE_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
];

/**
 * Bottlerocket worker pools joining a cluster someone else runs: any minos
 * cluster in the same program (through its join information, in its own
 * network and firewall), or an EKS cluster (IAM role, access entry, launch
 * template and auto-scaling group in the cluster's subnets). AWS only.
 */
export class BottlerocketNodeGroup extends pulumi.ComponentResource {
  /** Settings TOML by `worker/<pool>` (secret: it carries the bootstrap token). */
  readonly nodeConfigs: pulumi.Output<Record<string, string>>;
  /** Machines per pool. */
  readonly machines: Record<string, Machines>;
  /** The variant the nodes run, e.g. `aws-k8s-1.35`. */
  readonly variant: string;

  constructor(
    name: string,
    args: BottlerocketNodeGroupArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    const minos = args?.cluster instanceof Cluster ? args.cluster : undefined;
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
    // The cluster's CNI and the rest, before this component exists.
    if (minos) os.validate?.(joinRequest(minos, arch));
    super("minos:bottlerocket:BottlerocketNodeGroup", name, {}, opts);
    this.variant = bottlerocketVariant(kubernetesVersion as string, args.flavor ?? "standard");

    if (minos) {
      const group = new NodeGroup(
        "minos:bottlerocket:Pools",
        name,
        os,
        {
          cluster: minos,
          nodePools: args.nodePools,
          arch,
          ...(args.tags && { tags: args.tags }),
        },
        { parent: this },
      );
      this.nodeConfigs = group.nodeConfigs;
      this.machines = group.machines;
    } else {
      const joined = eksPools(
        name,
        args as BottlerocketNodeGroupArgs & { cluster: EksClusterSource },
        os,
        arch,
        kubernetesVersion as string,
        rollsPools(os, osUpdates),
        this,
      );
      this.nodeConfigs = joined.nodeConfigs;
      this.machines = joined.machines;
    }
    this.registerOutputs({ nodeConfigs: this.nodeConfigs, variant: this.variant });
  }
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

function eksPools(
  name: string,
  args: BottlerocketNodeGroupArgs & { cluster: EksClusterSource },
  os: ReturnType<typeof bottlerocketOs>,
  arch: Arch,
  kubernetesVersion: string,
  roll: boolean,
  parent: pulumi.Resource,
): { nodeConfigs: pulumi.Output<Record<string, string>>; machines: Record<string, Machines> } {
  const eks = eksFacts(args.cluster);
  const pools = resolvePools(args.nodePools, []);
  if (pools.length === 0)
    throw new MinosError("nodePools", args.nodePools, "name at least one pool");
  const opts = { parent };
  const tags = args.tags ?? {};

  const role = new aws.iam.Role(
    `${name}-node`,
    {
      assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
      tags,
    },
    opts,
  );
  for (const [i, policyArn] of EKS_NODE_POLICIES.entries())
    new aws.iam.RolePolicyAttachment(`${name}-node-${i}`, { role: role.name, policyArn }, opts);
  const profile = new aws.iam.InstanceProfile(`${name}-node`, { role: role.name, tags }, opts);
  // Lets the nodes register: EKS maps the role to the node groups by itself.
  new aws.eks.AccessEntry(
    `${name}-node`,
    { clusterName: eks.name, principalArn: role.arn, type: "EC2_LINUX", tags },
    opts,
  );

  // The cluster's own minor must be the variant's: checked once EKS reports it.
  const version: pulumi.Output<string | undefined> = eks.version ?? pulumi.output(undefined);
  const checked = version.apply((v) => checkEksVersion(v, kubernetesVersion));

  const image = os.image("aws", arch, { name, parent });
  const ami = resolveAmi(image, parent);
  const common = {
    cluster: name,
    arch,
    image,
    delivery: os.delivery("aws"),
    // EKS runs the API; nothing of its path is made here.
    network: { endpoint: { host: eks.endpoint, port: 443 }, apiPath: [] },
    tags,
    roll,
  };
  const configs: Record<string, pulumi.Output<string>> = {};
  const machines: Record<string, Machines> = {};
  for (const pool of pools) {
    const key = `worker/${pool.settings.pool}`;
    const payload = pulumi.secret(
      pulumi
        .all([eks.name, eks.endpoint, eks.caData, checked])
        .apply(
          ([clusterName, endpoint, ca]) =>
            os.render(
              "worker",
              eksContext(clusterName, endpoint, ca, kubernetesVersion, arch, pool.settings),
            ).payload,
        ),
    );
    configs[key] = payload;
    if (pool.maxCount === 0) continue;
    const request = machineRequest(
      common,
      planGroup(name, pool.settings.pool, "worker", pool, { count: pool.count, firstIndex: 0 }),
      pool,
      payload,
    );
    machines[key] = awsWorkerPool(
      request,
      {
        ami,
        subnetIds: pulumi.output(eks.subnetIds),
        publicIp: false,
        securityGroupIds: eks.securityGroupIds,
        instanceProfileArn: profile.arn,
        userData: payload,
        hopLimit: 2,
      },
      parent,
    );
  }
  return { nodeConfigs: pulumi.secret(pulumi.all(configs)), machines };
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

/** A worker's context from EKS facts: no bootstrap token, no CIDRs (EKS' own CNI). */
function eksContext(
  clusterName: string,
  endpoint: string,
  caData: string,
  kubernetesVersion: string,
  arch: Arch,
  node: BootstrapContext["node"],
): BootstrapContext {
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
    certSans: [],
    platform: "aws",
    arch,
    join: {
      caCertPem: Buffer.from(caData, "base64").toString(),
      bootstrapToken: "",
      caCertHash: "",
    },
    node,
    osUpdates: COORDINATED_UPDATES,
  };
}
