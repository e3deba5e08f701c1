import { MinosError, parseCidr, parseCidrList } from "@minos/core";
import type { AwsExistingVpcArgs, AwsNewVpcArgs, AwsPlatformArgs } from "./args.js";

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

/** Checks AWS platform arguments; called by `aws()` before anything exists. */
export function resolveAwsArgs(args: AwsPlatformArgs = {}): ResolvedAws {
  const n = args.network ?? {};
  let network: ResolvedAws["network"];
  if ("vpcId" in n) {
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
    !/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(args.defaultInstanceType)
  ) {
    throw new MinosError(
      "defaultInstanceType",
      args.defaultInstanceType,
      "use an EC2 instance type like t3.medium",
    );
  }
  return {
    network,
    apiAllowedCidrs: parseCidrList("apiAllowedCidrs", args.apiAllowedCidrs ?? ["0.0.0.0/0"]).map(
      (c) => c.text,
    ),
    sshAllowedCidrs: parseCidrList("sshAllowedCidrs", args.sshAllowedCidrs ?? []).map(
      (c) => c.text,
    ),
    ...(args.defaultInstanceType !== undefined && {
      defaultInstanceType: args.defaultInstanceType,
    }),
    metadataHopLimit: hop,
  };
}
