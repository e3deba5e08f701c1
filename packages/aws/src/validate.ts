import type { PlatformClusterInfo } from "@minos/core";
import {
  apiAllowedCidrs,
  checkMachineTypes,
  MinosError,
  optionKeys,
  parseCidr,
  parseCidrList,
  refuseUnknownKeys,
} from "@minos/core";
import type { AwsExistingVpcArgs, AwsNewVpcArgs, AwsPlatformArgs } from "./args.js";
import { checkAwsRollouts } from "./rollout.js";

/** AwsPlatformArgs with defaults applied and values checked. */
export interface ResolvedAws {
  network:
    | { kind: "new"; cidr: string; prefix: number; azCount: number; natGateway: boolean }
    | {
        kind: "existing";
        vpcId: string;
        subnetIds: string[];
        publicSubnetIds: string[];
        cidr?: string;
      };
  apiAllowedCidrs: string[];
  sshAllowedCidrs: string[];
  defaultInstanceType?: string;
  metadataHopLimit: 1 | 2;
}

const ID = (prefix: string) => new RegExp(`^${prefix}-[0-9a-f]{8,17}$`);

function ids(argument: string, value: unknown, prefix: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new MinosError(argument, value, `use a non-empty list of ${prefix}-… ids`);
  value.forEach((v, i) => {
    if (typeof v !== "string" || !ID(prefix).test(v))
      throw new MinosError(`${argument}[${i}]`, v, `use an id like ${prefix}-0123456789abcdef0`);
  });
  return value as string[];
}

const AWS_KEYS = optionKeys<AwsPlatformArgs>({
  network: true,
  apiAllowedCidrs: true,
  sshAllowedCidrs: true,
  defaultInstanceType: true,
  metadataHopLimit: true,
});
const NEW_VPC_KEYS = optionKeys<AwsNewVpcArgs>({ cidr: true, azCount: true, natGateway: true });
const EXISTING_VPC_KEYS = optionKeys<AwsExistingVpcArgs>({
  vpcId: true,
  subnetIds: true,
  publicSubnetIds: true,
  cidr: true,
});

/** Checks AWS platform arguments; called by `aws()` before anything exists. */
export function resolveAwsArgs(args: AwsPlatformArgs = {}): ResolvedAws {
  if (typeof args !== "object" || args === null)
    throw new MinosError("aws()", args, "pass { network?, apiAllowedCidrs?, ... } or nothing");
  // Region and credentials are the aws.Provider's, passed through the cluster's opts.
  if ("region" in args)
    throw new MinosError(
      "region",
      (args as { region: unknown }).region,
      "aws() takes no region: pass an aws.Provider for it through the cluster's opts.providers",
    );
  refuseUnknownKeys("", args, AWS_KEYS);
  const n = args.network ?? {};
  if (typeof n !== "object" || n === null || Array.isArray(n))
    throw new MinosError(
      "network",
      n,
      "use { cidr?, azCount?, natGateway? } for a new VPC or { vpcId, subnetIds, ... } for yours",
    );
  let network: ResolvedAws["network"];
  if ("vpcId" in n) {
    refuseUnknownKeys("network", n, EXISTING_VPC_KEYS);
    const e = n as AwsExistingVpcArgs;
    if (typeof e.vpcId !== "string" || !ID("vpc").test(e.vpcId))
      throw new MinosError("network.vpcId", e.vpcId, "use a VPC id like vpc-0123456789abcdef0");
    const subnetIds = ids("network.subnetIds", e.subnetIds, "subnet");
    network = {
      kind: "existing",
      vpcId: e.vpcId,
      subnetIds,
      publicSubnetIds:
        e.publicSubnetIds === undefined
          ? subnetIds
          : ids("network.publicSubnetIds", e.publicSubnetIds, "subnet"),
      ...(e.cidr !== undefined && { cidr: parseCidr("network.cidr", e.cidr).text }),
    };
  } else {
    refuseUnknownKeys("network", n, NEW_VPC_KEYS);
    const v = n as AwsNewVpcArgs;
    const cidr = parseCidr("network.cidr", v.cidr ?? "10.0.0.0/16", 16, 24);
    const azCount = v.azCount ?? 2;
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > 6)
      throw new MinosError("network.azCount", azCount, "use a whole number from 1 to 6");
    if (v.natGateway !== undefined && typeof v.natGateway !== "boolean")
      throw new MinosError("network.natGateway", v.natGateway, "use true or false");
    network = {
      kind: "new",
      cidr: cidr.text,
      prefix: cidr.prefix,
      azCount,
      natGateway: v.natGateway ?? true,
    };
  }
  const hop = args.metadataHopLimit ?? 1;
  if (hop !== 1 && hop !== 2)
    throw new MinosError(
      "metadataHopLimit",
      hop,
      "use 1 (pods cannot reach instance metadata) or 2",
    );
  if (
    args.defaultInstanceType !== undefined &&
    (typeof args.defaultInstanceType !== "string" ||
      !/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(args.defaultInstanceType))
  ) {
    throw new MinosError(
      "defaultInstanceType",
      args.defaultInstanceType,
      "use an EC2 instance type like t3.medium",
    );
  }
  return {
    network,
    apiAllowedCidrs: apiAllowedCidrs(args.apiAllowedCidrs),
    sshAllowedCidrs: parseCidrList("sshAllowedCidrs", args.sshAllowedCidrs ?? []).map(
      (c) => c.text,
    ),
    ...(args.defaultInstanceType !== undefined && {
      defaultInstanceType: args.defaultInstanceType,
    }),
    metadataHopLimit: hop,
  };
}

/** family[generation][options].size: t3.medium, m7g.2xlarge, c6in.metal-24xl. */
const INSTANCE_TYPE =
  /^[a-z]+\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;

/**
 * What EC2, S3 and IAM take in a tag (their common rule): letters, digits,
 * spaces and `+ - = . _ : / @`.
 */
const TAG_TEXT = /^[\p{L}\p{N}\p{Zs}+\-=._:/@]*$/u;

/** AWS's most tags on one resource, less the ones minos adds (minos:cluster and :pool, the Kubernetes ownership and load-balancer role tags, Name). */
export const MAX_USER_TAGS = 50 - 5;

/** Checks a cluster's or node group's groups and tags as AWS will, before anything exists. */
export function checkAwsGroups(cluster: PlatformClusterInfo): void {
  checkMachineTypes(cluster, INSTANCE_TYPE, "t3.medium or m7g.2xlarge");
  checkAwsRollouts(cluster.groups);
  const tags = Object.entries(cluster.tags);
  if (tags.length > MAX_USER_TAGS)
    throw new MinosError(
      "tags",
      `${tags.length} tags`,
      `use at most ${MAX_USER_TAGS}: AWS takes 50 on a resource and minos adds 5`,
    );
  for (const [key, value] of tags) {
    if (
      ["Name", "minos:cluster", "minos:pool", `kubernetes.io/cluster/${cluster.name}`].includes(key)
    )
      throw new MinosError(
        `tags.${key}`,
        value,
        "leave it out: minos sets it on each AWS resource itself and would overwrite yours",
      );
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value))
      throw new MinosError(
        `tags.${key}`,
        value,
        "use keys and values of letters, digits, spaces and + - = . _ : / @ (what EC2, S3 and IAM take)",
      );
  }
}
