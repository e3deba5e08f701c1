import { MinosError } from "../errors.js";

/** An IPv4 network, parsed. */
export interface Ipv4Cidr {
  readonly text: string;
  /** Network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses an IPv4 CIDR and checks its prefix lies in `[minPrefix, maxPrefix]`
 * (a smaller prefix is a bigger network) and that no host bits are set, since
 * Kubernetes and the clouds refuse `10.0.0.1/16`.
 */
export function parseCidr(
  argument: string,
  value: unknown,
  minPrefix = 0,
  maxPrefix = 32,
): Ipv4Cidr {
  const allowed = `use an IPv4 network like "10.244.0.0/16" with a prefix from /${minPrefix} to /${maxPrefix} and no host bits set`;
  const match = typeof value === "string" ? CIDR.exec(value) : null;
  if (!match) throw new MinosError(argument, value, allowed);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix < minPrefix || prefix > maxPrefix) {
    throw new MinosError(argument, value, allowed);
  }
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % 2 ** (32 - prefix) !== 0) throw new MinosError(argument, value, allowed);
  return { text: value as string, base, prefix };
}

/** True when two networks share any address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

/** Throws when any two of the named networks overlap. */
export function validateDisjoint(networks: Record<string, Ipv4Cidr>): void {
  const entries = Object.entries(networks);
  for (const [i, [nameA, a]] of entries.entries()) {
    for (const [nameB, b] of entries.slice(i + 1)) {
      if (overlaps(a, b)) {
        throw new MinosError(
          nameB,
          b.text,
          `must not overlap ${nameA} (${a.text}); pick disjoint ranges`,
        );
      }
    }
  }
}

/** The n-th address of a network (0 is the network address itself). */
export function nthAddress(cidr: Ipv4Cidr, n: number): string {
  const ip = cidr.base + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(ip / 2 ** shift) % 256).join(".");
}

/** The `index`-th subnet of `newPrefix` inside a network, e.g. the 3rd /20 of a /16. */
export function subnetOf(cidr: Ipv4Cidr, newPrefix: number, index: number): string {
  const size = 2 ** (32 - newPrefix);
  if (newPrefix < cidr.prefix || (index + 1) * size > 2 ** (32 - cidr.prefix)) {
    throw new RangeError(`no subnet ${index} of /${newPrefix} in ${cidr.text}`);
  }
  return `${nthAddress(cidr, index * size)}/${newPrefix}`;
}

/** Parses a list of CIDRs, each named by its position. */
export function parseCidrList(argument: string, value: unknown): Ipv4Cidr[] {
  if (!Array.isArray(value))
    throw new MinosError(argument, value, 'use a list of IPv4 networks like ["203.0.113.0/24"]');
  return value.map((v, i) => parseCidr(`${argument}[${i}]`, v));
}
