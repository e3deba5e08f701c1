import { diffProperties } from "@minos/provider-kit";
import type * as pulumi from "@pulumi/pulumi";
import { LibvirtInputError } from "./errors.js";
import type { Ipv4Network } from "./ipv4.js";
import { ipv4Network } from "./ipv4.js";
import { log } from "./log.js";
import type { ObjectMark } from "./ownership.js";
import {
  alreadyExists,
  leftAlone,
  markIn,
  newMark,
  notOursBecause,
  ownerMetadata,
  requireTheOne,
} from "./ownership.js";
import { LibvirtResource } from "./shim.js";
import { withTempDir } from "./temp-files.js";
import { validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI, virsh, virshIfExists } from "./virsh.js";
import { fromXml, toXml } from "./xml.js";

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
}

/** A DHCP reservation as libvirt's `<host>` element, through the driver's one XML builder. */
const hostElement = (h: HostReservation) => ({
  "@_mac": h.mac.toLowerCase(),
  "@_name": h.name,
  "@_ip": h.ip,
});

/** A reserved address as libvirt's DNS `<host>` element. */
const dnsHostElement = (a: AddressReservation) => ({ "@_ip": a.ip, hostname: a.name });

/**
 * A NAT network with DHCP: the first address is the gateway, leases from the
 * upper half, reserved addresses as DNS host entries. With a mark, the
 * network gets its UUID and minos's owner mark.
 */
export function networkXml(n: NetworkInputs, mark?: ObjectMark): string {
  const net = ipv4Network(n.cidr);
  const addresses = n.addresses ?? [];
  return toXml({
    network: {
      name: n.name,
      uuid: mark?.uuid,
      metadata: mark && ownerMetadata(mark.owner),
      forward: { "@_mode": "nat" },
      ...(addresses.length > 0 && { dns: { host: addresses.map(dnsHostElement) } }),
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
 * wants host names anyway.
 */
export function checkReservations(
  hosts: HostReservation[],
  addresses: AddressReservation[] = [],
  cidr?: string,
): void {
  const net = cidr === undefined ? undefined : ipv4Network(cidr);
  addresses.forEach((a, i) => {
    if (typeof a.ip !== "string" || !IPV4.test(a.ip))
      throw new LibvirtInputError(`addresses[${i}].ip`, a.ip, "use an IPv4 address like 10.77.0.5");
    if (net && !isReservable(net, a.ip))
      throw new LibvirtInputError(
        `addresses[${i}].ip`,
        a.ip,
        `use an address of ${cidr} between the gateway and its DHCP range (${net.host(2)} to ${net.host(net.size / 2 - 1)})`,
      );
    if (hosts.some((h) => h.ip === a.ip))
      throw new LibvirtInputError(`addresses[${i}].ip`, a.ip, "use one no host reservation has");
    if (typeof a.name !== "string" || !HOST_NAME.test(a.name))
      throw new LibvirtInputError(
        `addresses[${i}].name`,
        a.name,
        "use a host name: letters, digits and hyphens, dot-separated labels of at most 63 characters",
      );
  });
  hosts.forEach((h, i) => {
    if (typeof h.mac !== "string" || !MAC.test(h.mac))
      throw new LibvirtInputError(
        `hosts[${i}].mac`,
        h.mac,
        "use a MAC address like 52:54:00:12:34:56",
      );
    if (typeof h.ip !== "string" || !IPV4.test(h.ip))
      throw new LibvirtInputError(`hosts[${i}].ip`, h.ip, "use an IPv4 address like 10.77.0.10");
    if (typeof h.name !== "string" || !HOST_NAME.test(h.name))
      throw new LibvirtInputError(
        `hosts[${i}].name`,
        h.name,
        "use a host name: letters, digits and hyphens, dot-separated labels of at most 63 characters",
      );
  });
}

/** Whether `ip` is one of the network's hosts below its DHCP range, past the gateway. */
function isReservable(net: Ipv4Network, ip: string): boolean {
  const value = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
  const offset = value(ip) - value(net.host(0));
  return offset >= 2 && offset < net.size / 2;
}

/** What to delete and what to add to turn `olds` into `news`, by key. */
function changed<T>(olds: readonly T[], news: readonly T[], key: (item: T) => string) {
  const before = new Set(olds.map(key));
  const after = new Set(news.map(key));
  return [
    ...olds.filter((o) => !after.has(key(o))).map((item) => ({ command: "delete", item })),
    ...news.filter((n) => !before.has(key(n))).map((item) => ({ command: "add", item })),
  ];
}

const canonicalAddresses = (n: NetworkInputs) => JSON.stringify(n.addresses ?? []);

/** What a network's state holds: its inputs, its bridge, and the owner id it is marked with. */
export interface NetworkOutputs extends NetworkInputs {
  bridge?: string;
  /** The owner id in the network's `<metadata>` (see `ObjectMark`); absent in state written before minos marked networks. */
  owner?: string;
}

/** A network's persistent definition and what it says about its maker, or `undefined` when there is none. */
async function inspect(uri: string, name: string) {
  const xml = await virshIfExists(uri, ["net-dumpxml", "--inactive", name]);
  if (xml === undefined) return undefined;
  const bridge = fromXml<{ network: { bridge?: { "@_name"?: string } } }>(xml).network.bridge?.[
    "@_name"
  ];
  return { ...markIn(xml), bridge };
}

/** Stops and undefines the network this create defined, found by the UUID it gave it. */
async function undoCreate(uri: string, name: string, mark: ObjectMark): Promise<void> {
  if ((await inspect(uri, name))?.uuid !== mark.uuid) return;
  await virshIfExists(uri, ["net-destroy", name]).catch(() => undefined);
  await virshIfExists(uri, ["net-undefine", name]);
}

/**
 * CRUD for networks; runs in Pulumi's dynamic-provider process. Every network
 * it defines carries a minos owner mark in `<metadata>` (libvirt keeps a
 * network's metadata through define, start, `net-update` and restarts; 9.0
 * checked) and a UUID of minos's choosing. `create` refuses a name that is
 * taken; `update`, `read` and `delete` act only on the network whose mark is
 * the one in state.
 */
export const networkProvider = {
  async create(inputs: NetworkInputs) {
    const { uri, name } = inputs;
    validateLibvirtUri(uri);
    checkReservations(inputs.hosts, inputs.addresses, inputs.cidr);
    const existing = await inspect(uri, name);
    if (existing)
      throw alreadyExists(
        "network",
        name,
        uri,
        existing.owner === undefined
          ? "it carries no minos owner mark"
          : `it carries minos owner mark ${existing.owner}, another resource's`,
      );
    const mark = newMark();
    // Exclusive: libvirt refuses a name that exists under another UUID, so
    // a network defined meanwhile by someone else is not redefined.
    await withTempDir(async (_, write) => {
      await virsh(uri, ["net-define", write("network.xml", networkXml(inputs, mark))]);
    });
    let made: Awaited<ReturnType<typeof inspect>>;
    try {
      made = await inspect(uri, name);
      if (made?.owner !== mark.owner)
        throw new Error(
          `minos: libvirt at ${uri} did not keep the owner mark in network ${name}'s <metadata>, so minos could not tell it from networks it did not make; it was undefined again`,
        );
      await virsh(uri, ["net-start", name]);
      await virsh(uri, ["net-autostart", name]);
    } catch (e) {
      await undoCreate(uri, name, mark);
      throw e;
    }
    const bridge = (await inspect(uri, name))?.bridge ?? made.bridge;
    return { id: name, outs: { ...inputs, bridge, owner: mark.owner } };
  },

  /** A network that is gone, or is not the one this resource made, reads as gone. */
  async read(id: string, props: NetworkOutputs) {
    const found = await inspect(props.uri, id);
    if (found === undefined || found.owner !== props.owner) return {};
    return { id, props: { ...props, bridge: found.bridge } };
  },

  async diff(_id: string, olds: NetworkInputs, news: NetworkInputs) {
    return diffProperties(
      olds,
      news,
      {
        uri: "replace",
        name: "replace",
        cidr: "replace",
        hosts: "update",
        // An absent list is an empty one: state written before addresses existed does not change.
        addresses: canonicalAddresses(olds) === canonicalAddresses(news) ? "ignore" : "update",
      },
      true,
    );
  },

  /** Reservations change in place, live and in the persistent definition, of this resource's network only. */
  async update(id: string, olds: NetworkOutputs, news: NetworkInputs) {
    checkReservations(news.hosts, news.addresses, news.cidr);
    requireTheOne("network", id, news.uri, await inspect(news.uri, id), olds.owner);
    // Removals first: a host or address that moved must leave its old entry before taking the new.
    const hostKey = (h: HostReservation) => JSON.stringify([h.mac.toLowerCase(), h.ip, h.name]);
    const addressKey = (a: AddressReservation) => JSON.stringify([a.ip, a.name]);
    const changes = [
      ...changed(olds.hosts, news.hosts, hostKey).map((c) => ({
        ...c,
        section: "ip-dhcp-host",
        xml: dhcpHostXml(c.item),
      })),
      ...changed(olds.addresses ?? [], news.addresses ?? [], addressKey).map((c) => ({
        ...c,
        section: "dns-host",
        xml: dnsHostXml(c.item),
      })),
    ].sort((a, b) => (a.command === b.command ? 0 : a.command === "delete" ? -1 : 1));
    for (const c of changes)
      await virsh(news.uri, ["net-update", id, c.command, c.section, c.xml, "--live", "--config"]);
    const now = await inspect(news.uri, id);
    return { outs: { ...news, bridge: now?.bridge, owner: olds.owner } };
  },

  /**
   * Stops and undefines this resource's network. One that is gone is fine; one
   * that is not the one this resource made (no mark, or another's) is left
   * as it is, with a warning, and the resource is forgotten all the same.
   */
  async delete(id: string, props: NetworkOutputs) {
    const found = await inspect(props.uri, id);
    if (found === undefined) return;
    if (found.owner === undefined || found.owner !== props.owner) {
      log.warn(leftAlone("network", id, props.uri, notOursBecause(found.owner, props.owner)));
      return;
    }
    await virshIfExists(props.uri, ["net-destroy", id]).catch(() => undefined);
    await virshIfExists(props.uri, ["net-undefine", id]);
  },
};

/** Arguments of a Network. */
export interface NetworkArgs {
  /** libvirt connection. Default `qemu:///system`. */
  uri?: string;
  /** Network name in libvirt. Default: the resource name. */
  name?: pulumi.Input<string>;
  cidr: pulumi.Input<string>;
  hosts?: pulumi.Input<pulumi.Input<HostReservation>[]>;
  /** Addresses to keep from DHCP and name in DNS (virtual IPs). Default none. */
  addresses?: pulumi.Input<pulumi.Input<AddressReservation>[]>;
}

/** A libvirt NAT network with DHCP and host reservations. */
export class Network extends LibvirtResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly bridge: pulumi.Output<string>;
  /** The owner id the libvirt network is marked with. */
  declare readonly owner: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "network",
      "Network",
      name,
      {
        uri: validateLibvirtUri(args.uri ?? DEFAULT_URI),
        name: args.name ?? name,
        cidr: args.cidr,
        hosts: args.hosts ?? [],
        ...(args.addresses && { addresses: args.addresses }),
        bridge: undefined,
        owner: undefined,
      },
      opts,
    );
  }
}
