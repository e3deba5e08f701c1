import { diffProperties } from "@minos/provider-kit";
import type * as pulumi from "@pulumi/pulumi";
import { log } from "./log.js";
import type {
  AddressReservation,
  HostReservation,
  NetworkInputs,
  RangeReservation,
} from "./network-xml.js";
import {
  checkReservations,
  dhcpHostXml,
  dnsHostXml,
  dnsTxtXml,
  networkXml,
} from "./network-xml.js";
import type { ObjectMark } from "./ownership.js";
import {
  alreadyExists,
  leftAlone,
  markIn,
  newMark,
  notOursBecause,
  requireTheOne,
} from "./ownership.js";
import { LibvirtResource } from "./shim.js";
import { withTempDir } from "./temp-files.js";
import { validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI, virsh, virshIfExists } from "./virsh.js";
import { fromXml } from "./xml.js";

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
const canonicalRanges = (n: NetworkInputs) => JSON.stringify(n.ranges ?? []);

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
    checkReservations(inputs.hosts, inputs.addresses, inputs.cidr, inputs.ranges);
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
        ranges: canonicalRanges(olds) === canonicalRanges(news) ? "ignore" : "update",
      },
      true,
    );
  },

  /** Reservations change in place, live and in the persistent definition, of this resource's network only. */
  async update(id: string, olds: NetworkOutputs, news: NetworkInputs) {
    checkReservations(news.hosts, news.addresses, news.cidr, news.ranges);
    requireTheOne("network", id, news.uri, await inspect(news.uri, id), olds.owner);
    // Removals first: a host or address that moved must leave its old entry before taking the new.
    const hostKey = (h: HostReservation) => JSON.stringify([h.mac.toLowerCase(), h.ip, h.name]);
    const addressKey = (a: AddressReservation) => JSON.stringify([a.ip, a.name]);
    const rangeKey = (r: RangeReservation) => JSON.stringify([r.name, r.first, r.last]);
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
      ...changed(olds.ranges ?? [], news.ranges ?? [], rangeKey).map((c) => ({
        ...c,
        section: "dns-txt",
        xml: dnsTxtXml(c.item),
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
  /** Blocks to keep from DHCP and record as DNS TXT records (load balancers' addresses). Default none. */
  ranges?: pulumi.Input<pulumi.Input<RangeReservation>[]>;
}

/** A libvirt NAT network with DHCP, host reservations and reserved addresses and blocks. */
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
        ...(args.ranges && { ranges: args.ranges }),
        bridge: undefined,
        owner: undefined,
      },
      opts,
    );
  }
}
