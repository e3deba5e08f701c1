import { parseCidr, subnetOf } from "@minos/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterTags } from "./tags.js";
import type { ResolvedAws } from "./validate.js";

/** The subnets a cluster's nodes and API load balancer live in. */
export interface AwsNetwork {
  vpcId: pulumi.Output<string>;
  /** Node subnets, spread over zones; machines go round-robin over them. */
  nodeSubnetIds: pulumi.Output<string[]>;
  /** Subnets of the internet-facing API load balancer. */
  lbSubnetIds: pulumi.Output<string[]>;
  /** Nodes need public IPs to reach the internet (no NAT). */
  publicNodes: boolean;
  /** The VPC's CIDR, when known as a plain value. */
  cidr?: string;
  /** What minos made: gateways, route tables and their associations carry API traffic too. */
  resources: pulumi.Resource[];
}

/** Adopts the user's VPC, or makes one: public and private subnets per zone, IGW, optional NAT. */
export function awsNetwork(
  cluster: string,
  args: ResolvedAws["network"],
  tags: Record<string, string>,
  parent: pulumi.Resource,
): AwsNetwork {
  if (args.kind === "existing") {
    return {
      vpcId: pulumi.output(args.vpcId),
      nodeSubnetIds: pulumi.output(args.subnetIds),
      lbSubnetIds: pulumi.output(args.publicSubnetIds),
      publicNodes: false,
      ...(args.cidr !== undefined && { cidr: args.cidr }),
      resources: [],
    };
  }
  const opts = { parent };
  const tag = (name: string, extra: Record<string, string> = {}) => ({
    ...clusterTags(cluster, tags, name),
    ...extra,
  });
  const vpc = new aws.ec2.Vpc(
    `${cluster}-vpc`,
    {
      cidrBlock: args.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: tag(`${cluster}-vpc`),
    },
    opts,
  );
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, opts).names;
  const cidr = parseCidr("network.cidr", args.cidr);
  // Sixteen equal subnets: public ones from the start, private ones from the middle.
  const subnetPrefix = args.prefix + 4;

  const igw = new aws.ec2.InternetGateway(
    `${cluster}-igw`,
    { vpcId: vpc.id, tags: tag(`${cluster}-igw`) },
    opts,
  );
  const publicRoutes = new aws.ec2.RouteTable(
    `${cluster}-public`,
    {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
      tags: tag(`${cluster}-public`),
    },
    opts,
  );
  const subnet = (kind: "public" | "private", i: number) => {
    const name = `${cluster}-${kind}-${i}`;
    const s = new aws.ec2.Subnet(
      name,
      {
        vpcId: vpc.id,
        cidrBlock: subnetOf(cidr, subnetPrefix, kind === "public" ? i : 8 + i),
        availabilityZone: zones.apply((z) => z[i % z.length] as string),
        mapPublicIpOnLaunch: false,
        // Where the AWS load-balancer controller may put Services' load balancers.
        tags: tag(
          name,
          kind === "public"
            ? { "kubernetes.io/role/elb": "1" }
            : { "kubernetes.io/role/internal-elb": "1" },
        ),
      },
      opts,
    );
    return s;
  };
  const indexes = [...Array(args.azCount).keys()];
  const publicSubnets = indexes.map((i) => subnet("public", i));
  const resources: pulumi.Resource[] = [vpc, igw, publicRoutes, ...publicSubnets];
  for (const [i, s] of publicSubnets.entries()) {
    resources.push(
      new aws.ec2.RouteTableAssociation(
        `${cluster}-public-${i}`,
        { subnetId: s.id, routeTableId: publicRoutes.id },
        opts,
      ),
    );
  }
  const publicIds = pulumi.all(publicSubnets.map((s) => s.id));
  if (!args.natGateway) {
    return {
      vpcId: vpc.id,
      nodeSubnetIds: publicIds,
      lbSubnetIds: publicIds,
      publicNodes: true,
      cidr: args.cidr,
      resources,
    };
  }

  const eip = new aws.ec2.Eip(
    `${cluster}-nat`,
    { domain: "vpc", tags: tag(`${cluster}-nat`) },
    { parent, dependsOn: [igw] },
  );
  const nat = new aws.ec2.NatGateway(
    `${cluster}-nat`,
    {
      allocationId: eip.id,
      subnetId: publicSubnets[0]?.id as pulumi.Output<string>,
      tags: tag(`${cluster}-nat`),
    },
    opts,
  );
  const privateRoutes = new aws.ec2.RouteTable(
    `${cluster}-private`,
    {
      vpcId: vpc.id,
      routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
      tags: tag(`${cluster}-private`),
    },
    opts,
  );
  const privateSubnets = indexes.map((i) => subnet("private", i));
  resources.push(eip, nat, privateRoutes, ...privateSubnets);
  for (const [i, s] of privateSubnets.entries()) {
    resources.push(
      new aws.ec2.RouteTableAssociation(
        `${cluster}-private-${i}`,
        { subnetId: s.id, routeTableId: privateRoutes.id },
        opts,
      ),
    );
  }
  return {
    vpcId: vpc.id,
    nodeSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
    lbSubnetIds: publicIds,
    publicNodes: false,
    cidr: args.cidr,
    resources,
  };
}
