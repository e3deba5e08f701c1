import { rmSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { type DomainDisk, type DomainSpec, domainXml, type UefiFirmware } from "./domain-xml.js";
import { diffProperties } from "./property-diff.js";
import { LibvirtResource } from "./shim.js";
import { withTempDir } from "./temp-files.js";
import { isLocalUri, validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI, virsh, virshIfExists } from "./virsh.js";
import { deleteVolume, uploadVolume } from "./volumes.js";

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
}

const payloadVolume = (name: string) => `${name}.firstboot`;

/**
 * `kvm` when the host's capabilities offer it for this guest architecture,
 * `qemu` (emulation) otherwise: an x86_64 host has KVM for x86_64 guests
 * only, so an aarch64 guest there is emulated.
 */
export function virtTypeFor(capabilities: string, arch: DomainSpec["arch"]): "kvm" | "qemu" {
  const guests = capabilities.split("<guest>").slice(1);
  const archTag = new RegExp(`<arch name=['"]${arch}['"]`);
  return guests.some((g) => archTag.test(g) && /<domain type=['"]kvm['"]/.test(g)) ? "kvm" : "qemu";
}

async function virtTypeOf(
  uri: string,
  wanted: DomainInputs["virtType"],
  arch: DomainSpec["arch"],
): Promise<"kvm" | "qemu"> {
  if (wanted !== "auto") return wanted;
  return virtTypeFor(await virsh(uri, ["capabilities"]), arch);
}

/** CRUD for domains: define and start, or stop, undefine and clean up. */
export const domainProvider = {
  async create(inputs: DomainInputs) {
    const { firstBoot, uri } = inputs;
    let spec: DomainSpec = {
      ...inputs,
      virtType: await virtTypeOf(uri, inputs.virtType, inputs.arch),
      firstBoot: undefined,
    };
    if (firstBoot?.kind === "fw_cfg") {
      const path = await withTempDir((_, write) =>
        uploadVolume(
          uri,
          firstBoot.pool,
          payloadVolume(inputs.name),
          write("payload", firstBoot.payload),
        ),
      );
      spec = { ...spec, firstBoot: { kind: "fw_cfg", key: firstBoot.key, path } };
    } else if (firstBoot?.kind === "smbios") {
      spec = { ...spec, firstBoot };
    }
    try {
      await withTempDir(async (_, write) => {
        await virsh(uri, ["define", write("domain.xml", domainXml(spec))]);
      });
      if (inputs.autostart) await virsh(uri, ["autostart", inputs.name]);
      await virsh(uri, ["start", inputs.name]);
    } catch (e) {
      await domainProvider.delete(inputs.name, inputs);
      throw e;
    }
    return { id: inputs.name, outs: { ...inputs, virtType: spec.virtType } };
  },

  async read(id: string, props: DomainInputs) {
    const state = await virshIfExists(props.uri, ["domstate", id]);
    return state === undefined ? {} : { id, props: { ...props, state: state.trim() } };
  },

  /** A domain's first boot happened with what it was given: any change makes a new one. */
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
        vcpus: "replace",
        memoryMiB: "replace",
        firmware: "replace",
        uefiFirmware: "replace",
        disks: "replace",
        network: "replace",
        serialLog: "replace",
        kernel: "replace",
        firstBoot: "replace",
        autostart: "replace",
      },
      true,
    );
  },

  async update(_id: string, _olds: DomainInputs, news: DomainInputs) {
    return { outs: news };
  },

  async delete(id: string, props: DomainInputs) {
    await virshIfExists(props.uri, ["destroy", id]).catch(() => undefined);
    await virshIfExists(props.uri, [
      "undefine",
      id,
      ...(props.firmware === "uefi" ? ["--nvram"] : []),
    ]);
    if (props.firstBoot?.kind === "fw_cfg")
      await deleteVolume(props.uri, props.firstBoot.pool, payloadVolume(id));
    if (props.serialLog && isLocalUri(props.uri)) rmSync(props.serialLog, { force: true });
  },
};

/** Arguments of a Domain. */
export interface DomainArgs {
  uri?: string;
  /** Domain name. Default: the resource name. */
  name?: string;
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
}

/** A libvirt domain, started once defined. Its first-boot payload is secret in state. */
export class Domain extends LibvirtResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly virtType: pulumi.Output<"kvm" | "qemu">;

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
      },
      { ...opts, additionalSecretOutputs: ["firstBoot"] },
    );
  }
}
