import type { Arch, Ipv4Cidr } from "@minos/core";
import { MinosError, optionKeys, parseCidr, refuseUnknownKeys } from "@minos/core";
import type { UefiFirmware } from "@minos/libvirt";
import { LibvirtInputError, validateLibvirtUri } from "@minos/libvirt";
import type { KvmPlatformArgs } from "./args.js";
import type { LoadBalancerBlock } from "./load-balancer-addresses.js";
import { loadBalancerBlock } from "./load-balancer-addresses.js";

/** KvmPlatformArgs with defaults applied and values checked. */
export interface ResolvedKvm {
  uri: string;
  /** The libvirt host the URI reaches: every network on it shares one address space. */
  host: string;
  pool: string;
  cidr: Ipv4Cidr;
  firmware: "bios" | "uefi";
  /** Named UEFI files per architecture; arm64 always has some. */
  uefiFirmware: Partial<Record<Arch, UefiFirmware>> & { arm64: UefiFirmware };
  defaultMachineType: string;
  /** The block load balancers take, whether or not a cluster turns them on. */
  loadBalancers: LoadBalancerBlock;
  /** `loadBalancerAddresses` as given, for messages. */
  loadBalancerAddresses: number | string | undefined;
}

/**
 * Where the usual distributions install aarch64 UEFI for QEMU: Debian and
 * Ubuntu (`qemu-efi-aarch64`) ship these 64 MiB pflash images; Fedora's
 * `edk2-aarch64` links the same names. Newer Debian keeps `AAVMF_CODE.fd`
 * as a compatibility link to `AAVMF_CODE.no-secboot.fd`.
 */
export const DEFAULT_AARCH64_UEFI: UefiFirmware = {
  code: "/usr/share/AAVMF/AAVMF_CODE.fd",
  varsTemplate: "/usr/share/AAVMF/AAVMF_VARS.fd",
};

/** An absolute path on the libvirt host (libvirt's schema: `absFilePath`), printable, no spaces. */
const HOST_PATH = /^\/[!-~]+$/;

function uefiFiles(argument: string, value: unknown): UefiFirmware | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null)
    throw new MinosError(argument, value, "use { code, varsTemplate } with absolute paths");
  refuseUnknownKeys(argument, value, ["code", "varsTemplate"]);
  const { code, varsTemplate } = value as Record<string, unknown>;
  for (const [key, path] of [
    ["code", code],
    ["varsTemplate", varsTemplate],
  ] as const)
    if (typeof path !== "string" || !HOST_PATH.test(path))
      throw new MinosError(
        `${argument}.${key}`,
        path,
        `use an absolute path on the libvirt host, printable and without spaces, like ${DEFAULT_AARCH64_UEFI[key]}`,
      );
  return { code: code as string, varsTemplate: varsTemplate as string };
}

const KVM_KEYS = optionKeys<KvmPlatformArgs>({
  uri: true,
  pool: true,
  cidr: true,
  firmware: true,
  uefiFirmware: true,
  defaultMachineType: true,
  loadBalancerAddresses: true,
});

const MACHINE = /^(\d{1,2})cpu-(\d{1,3})gb$/;
const POOL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `2cpu-4gb` → 2 vCPUs, 4096 MiB. */
export function parseMachineType(
  argument: string,
  value: string,
): { vcpus: number; memoryMiB: number } {
  const m = typeof value === "string" ? MACHINE.exec(value) : null;
  const vcpus = Number(m?.[1]);
  const gib = Number(m?.[2]);
  if (!m || vcpus < 1 || gib < 1)
    throw new MinosError(argument, value, 'use "<vCPUs>cpu-<GiB>gb", e.g. "2cpu-4gb"');
  return { vcpus, memoryMiB: gib * 1024 };
}

/** Checks KVM platform arguments; called by `kvm()` before anything exists. */
export function resolveKvmArgs(args: KvmPlatformArgs = {}): ResolvedKvm {
  if (typeof args !== "object" || args === null)
    throw new MinosError("kvm()", args, "pass { uri?, pool?, cidr?, firmware?, ... } or nothing");
  refuseUnknownKeys("", args, KVM_KEYS);
  const uri = args.uri ?? "qemu:///system";
  try {
    validateLibvirtUri(uri);
  } catch (error) {
    // The driver's own check, as a MinosError like every other argument's.
    if (!(error instanceof LibvirtInputError)) throw error;
    throw new MinosError("uri", uri, error.allowed);
  }
  const pool = args.pool ?? "default";
  if (typeof pool !== "string" || !POOL.test(pool))
    throw new MinosError("pool", pool, "use a libvirt storage pool name");
  const firmware = args.firmware ?? "bios";
  if (firmware !== "bios" && firmware !== "uefi")
    throw new MinosError("firmware", firmware, 'use "bios" or "uefi"');
  const uefi = args.uefiFirmware ?? {};
  if (typeof uefi !== "object" || uefi === null)
    throw new MinosError(
      "uefiFirmware",
      uefi,
      "use { amd64?, arm64? }, each { code, varsTemplate }",
    );
  refuseUnknownKeys("uefiFirmware", uefi, ["amd64", "arm64"]);
  const amd64 = uefiFiles("uefiFirmware.amd64", uefi.amd64);
  if (amd64 && firmware !== "uefi")
    throw new MinosError(
      "uefiFirmware.amd64",
      uefi.amd64,
      'amd64 nodes boot these only with firmware: "uefi": set it, or leave them out',
    );
  const uefiFirmware = {
    arm64: uefiFiles("uefiFirmware.arm64", uefi.arm64) ?? DEFAULT_AARCH64_UEFI,
    ...(amd64 && { amd64 }),
  };
  const defaultMachineType = args.defaultMachineType ?? "2cpu-4gb";
  parseMachineType("defaultMachineType", defaultMachineType);
  const cidr = parseCidr("cidr", args.cidr ?? "10.77.0.0/24", 16, 26);
  return {
    uri,
    // qemu:///system and qemu:///session are this machine; qemu+ssh://user@host/system is host.
    host: new URL(uri).hostname || "localhost",
    pool,
    cidr,
    firmware,
    uefiFirmware,
    defaultMachineType,
    loadBalancers: loadBalancerBlock(cidr, args.loadBalancerAddresses),
    loadBalancerAddresses: args.loadBalancerAddresses,
  };
}
