import type { ClusterRef, JoinInfo, OsUpdatesArgs } from "@minos/core";
import {
  MinosError,
  optionKeys,
  parseKubernetesVersion,
  refuseUnknownKeys,
  validateOsUpdates,
} from "@minos/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { eks } from "./eks.js";

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

/** What minos cannot read off an EKS cluster before anything exists. */
export interface EksClusterOptions {
  /**
   * The EKS cluster's Kubernetes version (`1.35.2`), required: it picks what
   * the nodes' OS offers (Bottlerocket's variant), whose kubelet must match
   * the cluster's minor. Checked against EKS's own once EKS reports it.
   */
  kubernetesVersion: string;
  /**
   * `coordinated` rolls each pool, new machines first, onto a new image;
   * `off` gives a new image only to machines made later. A change to the
   * nodes' settings rolls pools either way. No window: minos runs no
   * update agent on EKS to keep one. Default `{ mode: "coordinated" }`.
   */
  osUpdates?: OsUpdatesArgs;
}

const OPTION_KEYS = optionKeys<EksClusterOptions>({ kubernetesVersion: true, osUpdates: true });

/**
 * An EKS cluster as a cluster node groups join (`BottlerocketNodeGroup`'s
 * `cluster`): `eks()` places the pools (IAM role, access entry, launch
 * templates and auto-scaling groups in the cluster's subnets), and EKS's
 * facts are the join information: its name, endpoint and CA. EKS admits the
 * nodes by their IAM role (no bootstrap token, no Kubernetes provider) and
 * runs its own VPC CNI. Nothing is made until a node group joins it.
 */
export function eksCluster(source: EksClusterSource, options: EksClusterOptions): ClusterRef {
  checkEksSource(source);
  if (typeof options !== "object" || options === null)
    throw new MinosError("options", options, "pass { kubernetesVersion, osUpdates? }");
  refuseUnknownKeys("", options, OPTION_KEYS);
  const { kubernetesVersion } = options;
  if (kubernetesVersion === undefined)
    throw new MinosError(
      "kubernetesVersion",
      undefined,
      "give the EKS cluster's Kubernetes version: it picks what the nodes run, whose kubelet must match the cluster's minor",
    );
  parseKubernetesVersion("kubernetesVersion", kubernetesVersion);
  const osUpdates = validateOsUpdates("osUpdates", options.osUpdates);
  if (osUpdates.window)
    throw new MinosError(
      "osUpdates.window",
      osUpdates.window,
      "pools on EKS roll when pulumi up changes their image; minos runs no update agent there, so there is no agent to keep a window",
    );
  const facts = eksFacts(source);
  // The cluster's own minor must be the one the nodes were picked for: checked once EKS reports it.
  const version: pulumi.Output<string | undefined> = facts.version ?? pulumi.output(undefined);
  return {
    platform: eks({
      clusterName: facts.name,
      subnetIds: facts.subnetIds,
      securityGroupIds: facts.securityGroupIds,
    }),
    kubernetesVersion,
    cni: { plugin: "none", deployedBy: "platform" },
    osUpdates,
    nodeAuth: "platform",
    join: pulumi
      .all([facts.name, facts.endpoint, facts.caData, version])
      .apply(([clusterName, endpoint, caData, reported]): JoinInfo => {
        checkEksVersion(reported, kubernetesVersion);
        return {
          clusterName,
          kubernetesVersion,
          endpoint: eksEndpoint(endpoint),
          // EKS's own CNI: no CIDRs to tell the nodes.
          podCidr: "",
          serviceCidr: "",
          caCertPem: Buffer.from(caData, "base64").toString(),
          caCertHash: "",
          osUpdates,
          site: {},
        };
      }),
  };
}

/** Fails when EKS reports a minor other than the one the nodes were picked for. */
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

/** The facts an EKS source must give, checked before anything is made (a JavaScript caller may pass anything). */
function checkEksSource(source: unknown): void {
  const allowed =
    "pass an aws.eks.Cluster, { eksCluster }, or the EKS cluster's name, endpoint, certificateAuthorityData, subnetIds and securityGroupIds";
  if (typeof source !== "object" || source === null)
    throw new MinosError("source", source, allowed);
  if (source instanceof aws.eks.Cluster) return;
  if ("eksCluster" in source) {
    if (!((source as { eksCluster: unknown }).eksCluster instanceof aws.eks.Cluster))
      throw new MinosError("source.eksCluster", source.eksCluster, allowed);
    return;
  }
  const facts = source as Record<string, unknown>;
  const missing = ["name", "endpoint", "certificateAuthorityData", "subnetIds", "securityGroupIds"];
  if (missing.some((key) => facts[key] === undefined) || !Array.isArray(facts.securityGroupIds))
    throw new MinosError("source", source, allowed);
  // Known now, checked now; an Output is checked once EKS reports it.
  if (typeof facts.endpoint === "string") eksEndpoint(facts.endpoint);
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
 * The API endpoint of an EKS cluster's `https://` URL. EKS endpoints are
 * `https://<HEX>.<zone>.<region>.eks.amazonaws.com`; kept as given.
 */
function eksEndpoint(endpoint: string): JoinInfo["endpoint"] {
  const match = /^https:\/\/([^/:]+)(?::(\d+))?\/?$/.exec(endpoint);
  if (!match)
    throw new MinosError("source.endpoint", endpoint, "use the EKS cluster's https:// endpoint");
  return { host: match[1] as string, port: Number(match[2] ?? 443) };
}
