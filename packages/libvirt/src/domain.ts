import { createHash } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { diffProperties } from "@minos/provider-kit";
import * as pulumi from "@pulumi/pulumi";
import { leasedAddress, resize, restart, virtTypeOf } from "./domain-runtime.js";
import type { DomainDisk, DomainSpec, UefiFirmware } from "./domain-xml.js";
import { domainXml } from "./domain-xml.js";
import { log } from "./log.js";
import type { ObjectMark } from "./ownership.js";
import {
  alreadyExists,
  leftAlone,
  markIn,
  newMark,
  notOursBecause,
  OWNER_NAMESPACE,
  requireTheOne,
} from "./ownership.js";
import { LibvirtResource } from "./shim.js";
import { withTempDir } from "./temp-files.js";
import { isLocalUri, validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI, virsh, virshIfExists } from "./virsh.js";
import { createOwned, deleteOwned, refuseTaken } from "./volume-records.js";
import { uploadVolume, volumePath } from "./volumes.js";

/** Inputs of a domain, plain. */
export interface DomainInputs extends Omit<DomainSpec, "virtType" | "firstBoot"> {
  uri: string;
  /** `auto` picks kvm when the host offers it. */
  virtType: "auto" | "kvm" | "qemu";
  /** First-boot payload, stored as a pool volume so remote hosts work too. */
  firstBoot?:
    | { kind: "fw_cfg"; key: string; pool: string; payload: string }
    | { kind: "smbios"; oemStrings: string[] };
  autostart: boolean;
  /**
   * Seconds `create` waits for the guest's DHCP lease on its network, which
   * it then reports as `address`; absent: it does not wait. For guests
   * whose address no reservation fixes.
   */
  waitForAddress?: number;
}

const payloadVolume = (name: string) => `${name}.firstboot`;

/** What a domain's state holds: its inputs, the virt type it got, and the owner id it is marked with. */
export interface DomainOutputs extends DomainInputs {
  /** The owner id in the domain's `<metadata>` (see `ObjectMark`), also in its payload volume's record; absent in state written before minos marked domains. */
  owner?: string;
  /** Its state when last read. */
  state?: string;
  /** The IPv4 address its network leased it, when `waitForAddress` asked for it. */
  address?: string;
}

/** A domain's persistent definition and what it says about its maker, or `undefined` when there is none. */
async function inspect(uri: string, name: string) {
  const xml = await virshIfExists(uri, ["dumpxml", "--inactive", name]);
  return xml === undefined ? undefined : markIn(xml);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** What the payload volume's record must say for this resource. */
const payloadExpected = (owner: string | undefined, payload: string) => ({
  kind: "firstBoot" as const,
  owner,
  sha256: sha256(payload),
});

/** Stops and undefines the domain this create defined, found by the UUID it gave it. */
async function undoDefine(uri: string, name: string, mark: ObjectMark, uefi: boolean) {
  if ((await inspect(uri, name))?.uuid !== mark.uuid) return;
  await virshIfExists(uri, ["destroy", name]).catch(() => undefined);
  await virshIfExists(uri, ["undefine", name, ...(uefi ? ["--nvram"] : [])]);
}

/**
 * CRUD for domains: define and start, or stop, undefine and clean up. Every
 * domain minos defines carries a minos owner mark in `<metadata>` and a UUID
 * of minos's choosing, and its first-boot payload volume an ownership record
 * with the same owner id. `create` refuses a name that is taken (the domain's
 * or its payload volume's) before making anything, and after a failure
 * removes only what it made; `read` and `delete` act only on the domain and
 * volume whose marks are the ones in state.
 */
export const domainProvider = {
  async create(inputs: DomainInputs) {
    const { firstBoot, uri, name } = inputs;
    validateLibvirtUri(uri);
    const existing = await inspect(uri, name);
    if (existing)
      throw alreadyExists(
        "domain",
        name,
        uri,
        existing.owner === undefined
          ? "it carries no minos owner mark"
          : `it carries minos owner mark ${existing.owner}, another resource's`,
      );
    if (firstBoot?.kind === "fw_cfg") await refuseTaken(uri, firstBoot.pool, payloadVolume(name));
    const mark = newMark();
    const uefi = inputs.firmware === "uefi";
    const localLog = inputs.serialLog !== undefined && isLocalUri(uri);
    const logExisted = localLog && existsSync(inputs.serialLog as string);
    /** What this create made, to remove (newest first) if it fails. */
    const made: (() => Promise<void>)[] = [];
    let address: string | undefined;
    let spec: DomainSpec = {
      ...inputs,
      virtType: await virtTypeOf(uri, inputs.virtType, inputs.arch),
      firstBoot: undefined,
    };
    try {
      if (firstBoot?.kind === "fw_cfg") {
        const volume = payloadVolume(name);
        const path = await withTempDir(async (_, write) => {
          const file = write("payload", firstBoot.payload);
          await createOwned(
            uri,
            firstBoot.pool,
            {
              minos: OWNER_NAMESPACE,
              kind: "firstBoot",
              volume,
              owner: mark.owner,
              sha256: sha256(firstBoot.payload),
              bytes: Buffer.byteLength(firstBoot.payload),
            },
            async () => {
              await uploadVolume(uri, firstBoot.pool, volume, file);
              return undefined;
            },
          );
          return volumePath(uri, firstBoot.pool, volume);
        });
        made.push(() =>
          deleteOwned(uri, firstBoot.pool, volume, payloadExpected(mark.owner, firstBoot.payload)),
        );
        spec = { ...spec, firstBoot: { kind: "fw_cfg", key: firstBoot.key, path } };
      } else if (firstBoot?.kind === "smbios") {
        spec = { ...spec, firstBoot };
      }
      // Exclusive: libvirt refuses a name that exists under another UUID, so
      // a domain defined meanwhile by someone else is not redefined.
      await withTempDir(async (_, write) => {
        await virsh(uri, ["define", write("domain.xml", domainXml(spec, mark))]);
      });
      made.push(() => undoDefine(uri, name, mark, uefi));
      if ((await inspect(uri, name))?.owner !== mark.owner)
        throw new Error(
          `minos: libvirt at ${uri} did not keep the owner mark in domain ${name}'s <metadata>, so minos could not tell it from domains it did not make; it was undefined again`,
        );
      if (inputs.autostart) await virsh(uri, ["autostart", name]);
      await virsh(uri, ["start", name]);
      if (inputs.waitForAddress !== undefined && inputs.network)
        address = await leasedAddress(uri, inputs.network, inputs.waitForAddress);
    } catch (e) {
      const failures: string[] = [];
      for (const undo of made.reverse())
        await undo().catch((f: unknown) =>
          failures.push(f instanceof Error ? f.message : String(f)),
        );
      if (localLog && !logExisted) rmSync(inputs.serialLog as string, { force: true });
      if (failures.length > 0)
        throw new Error(
          `${e instanceof Error ? e.message : String(e)}; removing what this create made also failed: ${failures.join("; ")}`,
          { cause: e },
        );
      throw e;
    }
    const outs: DomainOutputs = {
      ...inputs,
      virtType: spec.virtType,
      owner: mark.owner,
      ...(address && { address }),
    };
    return { id: name, outs };
  },

  /** A domain that is gone, or is not the one this resource made, reads as gone. */
  async read(id: string, props: DomainOutputs) {
    const found = await inspect(props.uri, id);
    if (found === undefined || found.owner === undefined || found.owner !== props.owner) return {};
    const state = await virshIfExists(props.uri, ["domstate", id]);
    return state === undefined ? {} : { id, props: { ...props, state: state.trim() } };
  },

  /**
   * A domain's first boot happened with what it was given: a change to what
   * it booted from or is attached to makes a new one. Its size and autostart
   * change in place, as a cloud instance's type does.
   */
  async diff(_id: string, olds: DomainInputs, news: DomainInputs) {
    return diffProperties(
      olds,
      news,
      {
        uri: "replace",
        name: "replace",
        // Resolved when created (`auto` becomes kvm or qemu): state never equals the input.
        virtType: "ignore",
        arch: "replace",
        vcpus: "update",
        memoryMiB: "update",
        firmware: "replace",
        uefiFirmware: "replace",
        disks: "replace",
        network: "replace",
        serialLog: "replace",
        kernel: "replace",
        firstBoot: "replace",
        hostname: "replace",
        autostart: "update",
        // Only how create waits.
        waitForAddress: "ignore",
      },
      // The same libvirt name must be freed first; a new one is made before the old goes.
      olds.name === news.name,
    );
  },

  /**
   * Resizes this resource's domain, or changes its autostart, and no other
   * domain's. A new size goes into the persistent definition; a running
   * domain is shut down (ACPI, then forced after `shutdownWait`) and
   * started again to take it, as a cloud instance is stopped and started
   * for a new type. Its disks and first-boot state stay as they are.
   */
  async update(id: string, olds: DomainOutputs, news: DomainInputs) {
    requireTheOne("domain", id, news.uri, await inspect(news.uri, id), olds.owner);
    if (olds.autostart !== news.autostart)
      await virsh(news.uri, ["autostart", id, ...(news.autostart ? [] : ["--disable"])]);
    if (olds.vcpus !== news.vcpus || olds.memoryMiB !== news.memoryMiB) {
      await resize(news.uri, id, olds, news);
      const state = (await virshIfExists(news.uri, ["domstate", id]))?.trim();
      if (state === "running") {
        log.info(
          `minos: restarting domain ${id} for its new size (${news.vcpus} vCPUs, ${news.memoryMiB} MiB)`,
        );
        await restart(news.uri, id);
      }
    }
    return { outs: { ...news, virtType: olds.virtType, owner: olds.owner } };
  },

  /**
   * Stops and undefines this resource's domain, then removes its payload
   * volume and serial log. A domain that is not the one this resource made
   * (no mark, or another's) is left as it is, with its serial log, and a
   * warning; the payload volume goes only if its own record is this
   * resource's.
   */
  async delete(id: string, props: DomainOutputs) {
    const found = await inspect(props.uri, id);
    const ours = found !== undefined && found.owner !== undefined && found.owner === props.owner;
    if (found !== undefined && !ours)
      log.warn(leftAlone("domain", id, props.uri, notOursBecause(found.owner, props.owner)));
    if (ours) {
      await virshIfExists(props.uri, ["destroy", id]).catch(() => undefined);
      await virshIfExists(props.uri, [
        "undefine",
        id,
        ...(props.firmware === "uefi" ? ["--nvram"] : []),
      ]);
    }
    if (props.firstBoot?.kind === "fw_cfg")
      await deleteOwned(
        props.uri,
        props.firstBoot.pool,
        payloadVolume(id),
        payloadExpected(props.owner, props.firstBoot.payload),
      );
    if ((ours || found === undefined) && props.serialLog && isLocalUri(props.uri))
      rmSync(props.serialLog, { force: true });
  },
};

/** Arguments of a Domain. */
export interface DomainArgs {
  uri?: string;
  /** Domain name. Default: the resource name. */
  name?: pulumi.Input<string>;
  /** Default `auto`: kvm where available. */
  virtType?: "auto" | "kvm" | "qemu";
  arch?: "x86_64" | "aarch64";
  vcpus: number;
  memoryMiB: number;
  /** Default `bios`; `uefi` needs OVMF (AAVMF on aarch64) on the host. */
  firmware?: "bios" | "uefi";
  /** With `uefi`: the host's firmware files. Default: libvirt picks them. */
  uefiFirmware?: UefiFirmware;
  disks: pulumi.Input<pulumi.Input<DomainDisk>[]>;
  network?: pulumi.Input<{ name: pulumi.Input<string>; mac: pulumi.Input<string> }>;
  serialLog?: string;
  kernel?: { path: string; initrd?: string; cmdline?: string };
  firstBoot?: pulumi.Input<DomainInputs["firstBoot"]>;
  /** Start with the host. Default false. */
  autostart?: boolean;
  /** The guest's host name, as an SMBIOS `system.hostname` credential. Default none. */
  hostname?: pulumi.Input<string>;
  /** Seconds to wait for the guest's DHCP lease, reported as `address`. Default: no wait. */
  waitForAddress?: number;
}

/** A libvirt domain, started once defined. Its first-boot payload is secret in state. */
export class Domain extends LibvirtResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly virtType: pulumi.Output<"kvm" | "qemu">;
  /** The owner id the libvirt domain is marked with. */
  declare readonly owner: pulumi.Output<string>;
  /** Its leased IPv4 address, with `waitForAddress`; otherwise undefined. */
  declare readonly address: pulumi.Output<string | undefined>;

  constructor(name: string, args: DomainArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "domain",
      "Domain",
      name,
      {
        uri: validateLibvirtUri(args.uri ?? DEFAULT_URI),
        name: args.name ?? name,
        virtType: args.virtType ?? "auto",
        arch: args.arch ?? "x86_64",
        vcpus: args.vcpus,
        memoryMiB: args.memoryMiB,
        firmware: args.firmware ?? "bios",
        uefiFirmware: args.uefiFirmware,
        disks: args.disks,
        network: args.network,
        serialLog: args.serialLog,
        kernel: args.kernel,
        firstBoot: args.firstBoot === undefined ? undefined : pulumi.secret(args.firstBoot),
        autostart: args.autostart ?? false,
        ...(args.hostname !== undefined && { hostname: args.hostname }),
        ...(args.waitForAddress !== undefined && { waitForAddress: args.waitForAddress }),
        owner: undefined,
        address: undefined,
      },
      { ...opts, additionalSecretOutputs: ["firstBoot"] },
    );
  }
}
