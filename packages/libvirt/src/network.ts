import type * as pulumi from "@pulumi/pulumi";
import { LibvirtInputError } from "./errors.js";
import { ipv4Network } from "./ipv4.js";
import { diffProperties } from "./property-diff.js";
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

/** Inputs of a libvirt NAT network, plain. */
export interface NetworkInputs {
  uri: string;
  name: string;
  /** e.g. `10.17.0.0/24`; the gateway is its first address. */
  cidr: string;
  /** Reservations, so addresses are known before machines boot. */
  hosts: HostReservation[];
}

/** A DHCP reservation as libvirt's `<host>` element, through the driver's one XML builder. */
const hostElement = (h: HostReservation) => ({
  "@_mac": h.mac.toLowerCase(),
  "@_name": h.name,
  "@_ip": h.ip,
});

/** A NAT network with DHCP: the first address is the gateway, leases from the upper half. */
export function networkXml(n: NetworkInputs): string {
  const net = ipv4Network(n.cidr);
  return toXml({
    network: {
      name: n.name,
      forward: { "@_mode": "nat" },
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
export function checkReservations(hosts: HostReservation[]): void {
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

/** CRUD for networks; runs in Pulumi's dynamic-provider process. */
export const networkProvider = {
  async create(inputs: NetworkInputs) {
    checkReservations(inputs.hosts);
    await withTempDir(async (_, write) => {
      await virsh(inputs.uri, ["net-define", write("network.xml", networkXml(inputs))]);
    });
    try {
      await virsh(inputs.uri, ["net-start", inputs.name]);
      await virsh(inputs.uri, ["net-autostart", inputs.name]);
    } catch (e) {
      await virshIfExists(inputs.uri, ["net-undefine", inputs.name]);
      throw e;
    }
    return {
      id: inputs.name,
      outs: { ...inputs, bridge: await bridgeOf(inputs.uri, inputs.name) },
    };
  },

  async read(id: string, props: NetworkInputs) {
    const xml = await virshIfExists(props.uri, ["net-dumpxml", id]);
    if (xml === undefined) return {};
    return {
      id,
      props: {
        ...props,
        bridge: fromXml<{ network: { bridge?: { "@_name"?: string } } }>(xml).network.bridge?.[
          "@_name"
        ],
      },
    };
  },

  async diff(_id: string, olds: NetworkInputs, news: NetworkInputs) {
    return diffProperties(
      olds,
      news,
      { uri: "replace", name: "replace", cidr: "replace", hosts: "update" },
      true,
    );
  },

  /** Reservations change in place, live and in the persistent definition. */
  async update(id: string, olds: NetworkInputs, news: NetworkInputs) {
    checkReservations(news.hosts);
    const key = (h: HostReservation) => JSON.stringify([h.mac.toLowerCase(), h.ip, h.name]);
    const before = new Set(olds.hosts.map(key));
    const after = new Set(news.hosts.map(key));
    for (const h of olds.hosts.filter((h) => !after.has(key(h)))) {
      await virsh(news.uri, [
        "net-update",
        id,
        "delete",
        "ip-dhcp-host",
        dhcpHostXml(h),
        "--live",
        "--config",
      ]);
    }
    for (const h of news.hosts.filter((h) => !before.has(key(h)))) {
      await virsh(news.uri, [
        "net-update",
        id,
        "add",
        "ip-dhcp-host",
        dhcpHostXml(h),
        "--live",
        "--config",
      ]);
    }
    return { outs: { ...news, bridge: await bridgeOf(news.uri, id) } };
  },

  async delete(id: string, props: NetworkInputs) {
    await virshIfExists(props.uri, ["net-destroy", id]).catch(() => undefined);
    await virshIfExists(props.uri, ["net-undefine", id]);
  },
};

async function bridgeOf(uri: string, name: string): Promise<string | undefined> {
  return fromXml<{ network: { bridge?: { "@_name"?: string } } }>(
    await virsh(uri, ["net-dumpxml", name]),
  ).network.bridge?.["@_name"];
}

/** Arguments of a Network. */
export interface NetworkArgs {
  /** libvirt connection. Default `qemu:///system`. */
  uri?: string;
  /** Network name in libvirt. Default: the resource name. */
  name?: pulumi.Input<string>;
  cidr: pulumi.Input<string>;
  hosts?: pulumi.Input<pulumi.Input<HostReservation>[]>;
}

/** A libvirt NAT network with DHCP and host reservations. */
export class Network extends LibvirtResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly bridge: pulumi.Output<string>;

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
        bridge: undefined,
      },
      opts,
    );
  }
}
