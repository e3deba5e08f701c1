import type { Ipv4Cidr } from "@minos/core";
import { MinosError, nthAddress } from "@minos/core";
import type { KvmNode } from "./identity.js";
import { CONTROL_PLANE_FROM, VIRTUAL_IP_HOST } from "./identity.js";

/** How many addresses a cluster's load balancers get when `loadBalancerAddresses` is unset. */
export const DEFAULT_LOAD_BALANCER_COUNT = 8;

/**
 * The block of the cluster network's addresses its load balancers take,
 * `first` to `last`: the network's hosts `from` to `to`, all below the DHCP
 * range (which starts at the network's half).
 */
export interface LoadBalancerBlock {
  first: string;
  last: string;
  from: number;
  to: number;
}

/** Two dotted IPv4 addresses, no leading zeros, joined by a hyphen. */
const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const RANGE = new RegExp(`^(${IPV4})-(${IPV4})$`);

/** What `loadBalancerAddresses` takes on a network, for messages. */
function allowed(cidr: Ipv4Cidr): string {
  const half = 2 ** (32 - cidr.prefix) / 2;
  return `use a count from 1 to ${half - CONTROL_PLANE_FROM - 1}, which takes the addresses just below the DHCP range (${nthAddress(cidr, half)} up), or a block "first-last" of ${cidr.text} between ${nthAddress(cidr, 2)} and ${nthAddress(cidr, half - 1)} without the API's virtual address ${nthAddress(cidr, VIRTUAL_IP_HOST)}`;
}

/**
 * `loadBalancerAddresses` checked against the network: a count takes the
 * addresses just below the DHCP range; a block `first-last` is taken as it
 * is. Either way every address lies between the gateway and the DHCP range
 * and none is the API's virtual address; what the control-plane nodes of a
 * cluster hold is checked per cluster (`refuseControlPlaneClash`).
 */
export function loadBalancerBlock(cidr: Ipv4Cidr, value: unknown): LoadBalancerBlock {
  const half = 2 ** (32 - cidr.prefix) / 2;
  const refuse = () => new MinosError("loadBalancerAddresses", value, allowed(cidr));
  let from: number;
  let to: number;
  if (value === undefined || typeof value === "number") {
    const count = value ?? DEFAULT_LOAD_BALANCER_COUNT;
    // At least the first control-plane node sits below them.
    if (!Number.isInteger(count) || count < 1 || count > half - CONTROL_PLANE_FROM - 1)
      throw refuse();
    [from, to] = [half - count, half - 1];
  } else {
    const match = typeof value === "string" ? RANGE.exec(value) : null;
    if (!match) throw refuse();
    [from, to] = [ipValue(match[1] as string) - cidr.base, ipValue(match[2] as string) - cidr.base];
    if (from < 2 || to >= half || from > to) throw refuse();
    if (from <= VIRTUAL_IP_HOST && to >= VIRTUAL_IP_HOST) throw refuse();
  }
  return { first: nthAddress(cidr, from), last: nthAddress(cidr, to), from, to };
}

/** Refuses a block that holds a planned control-plane node's fixed address. */
export function refuseControlPlaneClash(
  block: LoadBalancerBlock,
  value: unknown,
  controlPlanes: readonly KvmNode[],
): void {
  const clash = controlPlanes.find((n) => inBlock(block, n.ip));
  if (clash)
    throw new MinosError(
      "loadBalancerAddresses",
      value ?? `${block.first}-${block.last}`,
      `use addresses clear of the control-plane nodes' (${controlPlanes[0]?.ip} up): ${clash.ip} is ${clash.name}'s; ask for fewer, or give a block "first-last" above them`,
    );
}

/** A dotted IPv4 address as a number. */
const ipValue = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const inBlock = (block: LoadBalancerBlock, ip: string) =>
  ipValue(ip) >= ipValue(block.first) && ipValue(ip) <= ipValue(block.last);
