import { LibvirtInputError } from "./errors.js";
import type { Ipv4Network } from "./ipv4.js";
import { ipv4Network } from "./ipv4.js";
import type { ObjectMark } from "./ownership.js";
import { ownerMetadata } from "./ownership.js";
import { toXml } from "./xml.js";

/** A fixed DHCP lease: this MAC always gets this IP and host name. */
export interface HostReservation {
  mac: string;
  ip: string;
  name: string;
}

/**
 * An address no machine owns and no lease hands out (a virtual IP that
 * nodes hold among themselves), named in the network's DNS so the
 * definition shows it is taken and guests resolve it.
 */
export interface AddressReservation {
  ip: string;
  name: string;
}

/**
 * A block of addresses, `first` to `last`, that something other than DHCP
 * hands out (a load-balancer controller): below the DHCP range, clear of
 * every host reservation and reserved address. libvirt has no element for
 * it; the definition records it as a DNS TXT record, `<name>` =
 * `<first>-<last>`, which `net-update` changes in the running network and
 * its persistent definition alike, and which guests can look up.
 */
export interface RangeReservation {
  name: string;
  first: string;
  last: string;
}

/** Inputs of a libvirt NAT network, plain. */
export interface NetworkInputs {
  uri: string;
  name: string;
  /** e.g. `10.17.0.0/24`; the gateway is its first address. */
  cidr: string;
  /** Reservations, so addresses are known before machines boot. */
  hosts: HostReservation[];
  /** Reserved addresses below the DHCP range. Absent in state written before they existed. */
  addresses?: AddressReservation[];
  /** Blocks reserved below the DHCP range. Absent in state written before they existed. */
  ranges?: RangeReservation[];
}

/** A DHCP reservation as libvirt's `<host>` element, through the driver's one XML builder. */
const hostElement = (h: HostReservation) => ({
  "@_mac": h.mac.toLowerCase(),
  "@_name": h.name,
  "@_ip": h.ip,
});

/** A reserved address as libvirt's DNS `<host>` element. */
const dnsHostElement = (a: AddressReservation) => ({ "@_ip": a.ip, hostname: a.name });

/** A reserved block as libvirt's DNS `<txt>` element. */
const dnsTxtElement = (r: RangeReservation) => ({
  "@_name": r.name,
  "@_value": `${r.first}-${r.last}`,
});

/**
 * A NAT network with DHCP: the first address is the gateway, leases from the
 * upper half, reserved addresses as DNS host entries, reserved blocks as DNS
 * TXT records. With a mark, the network gets its UUID and minos's owner mark.
 */
export function networkXml(n: NetworkInputs, mark?: ObjectMark): string {
  const net = ipv4Network(n.cidr);
  const addresses = n.addresses ?? [];
  const ranges = n.ranges ?? [];
  const dns = {
    ...(ranges.length > 0 && { txt: ranges.map(dnsTxtElement) }),
    ...(addresses.length > 0 && { host: addresses.map(dnsHostElement) }),
  };
  return toXml({
    network: {
      name: n.name,
      uuid: mark?.uuid,
      metadata: mark && ownerMetadata(mark.owner),
      forward: { "@_mode": "nat" },
      ...(Object.keys(dns).length > 0 && { dns }),
      ip: {
        "@_address": net.host(1),
        "@_netmask": net.netmask,
        dhcp: {
          range: { "@_start": net.host(net.size / 2), "@_end": net.host(net.size - 2) },
          host: [...n.hosts].sort((a, b) => a.ip.localeCompare(b.ip)).map(hostElement),
        },
      },
    },
  });
}

/** The `<host>` XML `net-update … ip-dhcp-host` takes, escaped like everything the driver writes. */
export function dhcpHostXml(h: HostReservation): string {
  return toXml({ host: hostElement(h) }).trim();
}

/** The `<host>` XML `net-update … dns-host` takes. */
export function dnsHostXml(a: AddressReservation): string {
  return toXml({ host: dnsHostElement(a) }).trim();
}

/** The `<txt>` XML `net-update … dns-txt` takes. */
export function dnsTxtXml(r: RangeReservation): string {
  return toXml({ txt: dnsTxtElement(r) }).trim();
}

const MAC = /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
/** An RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Checks reservations before they reach libvirt. Escaping alone is not
 * enough for host names: libvirt (9.0 at least) writes a DHCP host's name
 * back unescaped, so a name with `'`, `<` or `&` that it parsed correctly
 * corrupts the network's saved definition or fails its own re-parse. DHCP
 * wants host names anyway. With the network's `cidr`, reserved addresses
 * and blocks must lie between the gateway and the DHCP range.
 */
export function checkReservations(
  hosts: HostReservation[],
  addresses: AddressReservation[] = [],
  cidr?: string,
  ranges: RangeReservation[] = [],
): void {
  const net = cidr === undefined ? undefined : ipv4Network(cidr);
  const outsideDhcp = (argument: string, ip: string) => {
    if (net && !isReservable(net, ip))
      throw new LibvirtInputError(
        argument,
        ip,
        `use an address of ${cidr} between the gateway and its DHCP range (${net.host(2)} to ${net.host(net.size / 2 - 1)})`,
      );
  };
  addresses.forEach((a, i) => {
    checkIpv4(`addresses[${i}].ip`, a.ip, "10.77.0.5");
    outsideDhcp(`addresses[${i}].ip`, a.ip);
    if (hosts.some((h) => h.ip === a.ip))
      throw new LibvirtInputError(`addresses[${i}].ip`, a.ip, "use one no host reservation has");
    checkHostName(`addresses[${i}].name`, a.name);
  });
  hosts.forEach((h, i) => {
    if (typeof h.mac !== "string" || !MAC.test(h.mac))
      throw new LibvirtInputError(
        `hosts[${i}].mac`,
        h.mac,
        "use a MAC address like 52:54:00:12:34:56",
      );
    checkIpv4(`hosts[${i}].ip`, h.ip, "10.77.0.10");
    checkHostName(`hosts[${i}].name`, h.name);
  });
  ranges.forEach((r, i) => {
    checkHostName(`ranges[${i}].name`, r.name);
    checkIpv4(`ranges[${i}].first`, r.first, "10.77.0.120");
    checkIpv4(`ranges[${i}].last`, r.last, "10.77.0.127");
    outsideDhcp(`ranges[${i}].first`, r.first);
    outsideDhcp(`ranges[${i}].last`, r.last);
    const [first, last] = [ipValue(r.first), ipValue(r.last)];
    if (first > last)
      throw new LibvirtInputError(`ranges[${i}].last`, r.last, `use one from ${r.first} up`);
    const inside = (ip: string) => ipValue(ip) >= first && ipValue(ip) <= last;
    const taken = [...hosts, ...addresses].find((h) => inside(h.ip));
    if (taken)
      throw new LibvirtInputError(
        `ranges[${i}]`,
        `${r.first}-${r.last}`,
        `use a block without ${taken.ip}, which ${taken.name} has`,
      );
    const other = ranges.findIndex(
      (o, j) =>
        j < i && (o.name === r.name || (ipValue(o.first) <= last && ipValue(o.last) >= first)),
    );
    if (other >= 0)
      throw new LibvirtInputError(
        `ranges[${i}]`,
        `${r.name} ${r.first}-${r.last}`,
        `use a name and a block of its own: ranges[${other}] has that name or overlaps it`,
      );
  });
}

function checkIpv4(argument: string, ip: unknown, like: string): void {
  if (typeof ip !== "string" || !IPV4.test(ip))
    throw new LibvirtInputError(argument, ip, `use an IPv4 address like ${like}`);
}

/** A reservation's name, as DHCP and DNS want it. */
function checkHostName(argument: string, name: unknown): void {
  if (typeof name !== "string" || !HOST_NAME.test(name))
    throw new LibvirtInputError(
      argument,
      name,
      "use a host name: letters, digits and hyphens, dot-separated labels of at most 63 characters",
    );
}

/** A dotted IPv4 address as a number. */
const ipValue = (ip: string) => ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);

/** Whether `ip` is one of the network's hosts below its DHCP range, past the gateway. */
function isReservable(net: Ipv4Network, ip: string): boolean {
  const offset = ipValue(ip) - ipValue(net.host(0));
  return offset >= 2 && offset < net.size / 2;
}
