import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedGcp } from "./validate.js";

/** The network a cluster's nodes live in. */
export interface GcpNetwork {
  network: pulumi.Output<string>;
  subnetwork: pulumi.Output<string>;
  /** Egress addresses of Cloud NAT: nodes reach the API's external address from these. */
  natIps: pulumi.Output<string[]>;
  cidr?: string;
  /** What minos made: the network, and the NAT nodes reach the API's address through. */
  resources: pulumi.Resource[];
}

/**
 * Adopts the user's network, or makes one: a custom-mode VPC, a regional
 * subnet, and Cloud NAT on a reserved address so nodes without external IPs
 * reach the internet and the API load balancer from a known source.
 */
export function gcpNetwork(
  cluster: string,
  args: ResolvedGcp,
  labels: Record<string, string>,
  parent: pulumi.Resource,
): GcpNetwork {
  const opts = { parent };
  let network: pulumi.Output<string>;
  let subnetwork: pulumi.Output<string>;
  const resources: pulumi.Resource[] = [];
  if (args.network.kind === "existing") {
    network = pulumi.output(args.network.network);
    subnetwork = pulumi.output(args.network.subnetwork);
  } else {
    const vpc = new gcp.compute.Network(
      `${cluster}-net`,
      { autoCreateSubnetworks: false, description: `minos: ${cluster}` },
      opts,
    );
    const subnet = new gcp.compute.Subnetwork(
      `${cluster}-nodes`,
      {
        network: vpc.id,
        region: args.region,
        ipCidrRange: args.network.cidr,
        privateIpGoogleAccess: true,
      },
      opts,
    );
    network = vpc.selfLink;
    subnetwork = subnet.selfLink;
    resources.push(vpc, subnet);
  }
  const router = new gcp.compute.Router(
    `${cluster}-router`,
    { network, region: args.region },
    opts,
  );
  const natIp = new gcp.compute.Address(
    `${cluster}-nat`,
    { region: args.region, addressType: "EXTERNAL", labels },
    opts,
  );
  const nat = new gcp.compute.RouterNat(
    `${cluster}-nat`,
    {
      router: router.name,
      region: args.region,
      natIpAllocateOption: "MANUAL_ONLY",
      natIps: [natIp.selfLink],
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
    },
    opts,
  );
  resources.push(router, natIp, nat);
  const { cidr } = args.network;
  return {
    network,
    subnetwork,
    natIps: pulumi.all([natIp.address]),
    ...(cidr !== undefined && { cidr }),
    resources,
  };
}
