import type { Platform } from "../contracts/platform.js";
import { MinosError } from "../errors.js";
import type { Ipv4Cidr } from "../validation/cidr.js";
import { overlaps, parseCidr } from "../validation/cidr.js";
import { perProgram } from "./per-program.js";

/** The networks one cluster holds in an address space it shares with others. */
interface Claim {
  cluster: string;
  space: string;
  node: Ipv4Cidr;
  podCidr: Ipv4Cidr;
  serviceCidr: Ipv4Cidr;
}

/**
 * Every cluster of a program whose platform shares an address space, by
 * cluster name (`perProgram`). A cluster of a name seen before replaces the
 * earlier claim (the same cluster made anew, as tests under mocks do;
 * Pulumi itself refuses two resources of one name and type).
 */
const claimsOfThisProgram = () => perProgram<Claim>("address claims");

/**
 * Checks a cluster's node, pod and service networks against every other
 * minos cluster of the program in the same address space, then records
 * them. Two clusters conflict when their node networks overlap (on one KVM
 * host, libvirt will not start a second network over the first's range), or
 * when one's pod or service network covers the other's node network (its
 * pods would route those addresses into their own network and never reach
 * the other cluster's nodes). Platforms without a shared address space (a
 * new VPC per cluster on AWS or GCP, isolated unless peered) claim nothing:
 * their clusters may reuse ranges.
 */
export function claimAddresses(
  cluster: { name: string; podCidr: string; serviceCidr: string },
  platform: Platform,
): void {
  const space = platform.addressSpace;
  if (space === undefined || platform.nodeCidr === undefined) return;
  const cidrArgument = `platform.${space.cidrArgument}`;
  const mine: Claim = {
    cluster: cluster.name,
    space: space.id,
    node: parseCidr(cidrArgument, platform.nodeCidr),
    podCidr: parseCidr("podCidr", cluster.podCidr),
    serviceCidr: parseCidr("serviceCidr", cluster.serviceCidr),
  };
  const who = `cluster "${cluster.name}"`;
  const claims = claimsOfThisProgram();
  for (const other of claims.values()) {
    if (other.cluster === mine.cluster || other.space !== mine.space) continue;
    const theirs = `cluster "${other.cluster}"`;
    const where = `on ${space.id}`;
    if (overlaps(mine.node, other.node))
      throw new MinosError(
        cidrArgument,
        mine.node.text,
        `${who}'s node network overlaps ${theirs}'s node network ${other.node.text} ${where}; give each cluster its own ${space.cidrArgument}`,
      );
    for (const argument of ["podCidr", "serviceCidr"] as const) {
      if (overlaps(mine[argument], other.node))
        throw new MinosError(
          argument,
          mine[argument].text,
          `${who}'s ${argument} overlaps ${theirs}'s node network ${other.node.text} ${where}, whose nodes its pods could not reach; pick a range outside it`,
        );
      if (overlaps(mine.node, other[argument]))
        throw new MinosError(
          cidrArgument,
          mine.node.text,
          `${who}'s node network lies in ${theirs}'s ${argument} ${other[argument].text} ${where}, so its pods could not reach these nodes; pick a ${space.cidrArgument} outside it`,
        );
    }
  }
  claims.set(mine.cluster, mine);
}
