/** The few IPv4 facts a libvirt network definition needs. */
export interface Ipv4Network {
  /** Address of host `n` (0 is the network address). */
  host(n: number): string;
  /** Dotted netmask, e.g. 255.255.255.0. */
  netmask: string;
  /** Number of addresses. */
  size: number;
}

/** Parses `a.b.c.d/p`; throws a RangeError naming the value otherwise. */
export function ipv4Network(cidr: string): Ipv4Network {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(m?.[5]);
  if (!m || octets.some((o) => o > 255) || prefix < 8 || prefix > 30)
    throw new RangeError(`not an IPv4 network from /8 to /30: ${cidr}`);
  const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
  const size = 2 ** (32 - prefix);
  const base = octets.reduce((a, o) => a * 256 + o, 0);
  const start = base - (base % size);
  return { host: (n) => dotted(start + n), netmask: dotted(2 ** 32 - size), size };
}
