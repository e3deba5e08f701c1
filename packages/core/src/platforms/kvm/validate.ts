import { MinosError } from "../../errors.js";
import { type Ipv4Cidr, parseCidr } from "../../validation/cidr.js";
import type { KvmPlatformArgs } from "./args.js";

/** KvmPlatformArgs with defaults applied and values checked. */
export interface ResolvedKvm {
  uri: string;
  pool: string;
  cidr: Ipv4Cidr;
  firmware: "bios" | "uefi";
  defaultMachineType: string;
}

const MACHINE = /^(\d{1,2})cpu-(\d{1,3})gb$/;
const POOL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `2cpu-4gb` → 2 vCPUs, 4096 MiB. */
export function parseMachineType(
  argument: string,
  value: string,
): { vcpus: number; memoryMiB: number } {
  const m = MACHINE.exec(value);
  const vcpus = Number(m?.[1]);
  const gib = Number(m?.[2]);
  if (!m || vcpus < 1 || gib < 1)
    throw new MinosError(argument, value, 'use "<vCPUs>cpu-<GiB>gb", e.g. "2cpu-4gb"');
  return { vcpus, memoryMiB: gib * 1024 };
}

/** Checks KVM platform arguments; called by `kvm()` before anything exists. */
export function resolveKvmArgs(args: KvmPlatformArgs = {}): ResolvedKvm {
  const uri = args.uri ?? "qemu:///system";
  if (typeof uri !== "string" || !/^[a-z][a-z0-9+]*:\/\//.test(uri))
    throw new MinosError("uri", uri, "use a libvirt URI like qemu:///system");
  const pool = args.pool ?? "default";
  if (!POOL.test(pool)) throw new MinosError("pool", pool, "use a libvirt storage pool name");
  const firmware = args.firmware ?? "bios";
  if (firmware !== "bios" && firmware !== "uefi")
    throw new MinosError("firmware", firmware, 'use "bios" or "uefi"');
  const defaultMachineType = args.defaultMachineType ?? "2cpu-4gb";
  parseMachineType("defaultMachineType", defaultMachineType);
  return {
    uri,
    pool,
    cidr: parseCidr("cidr", args.cidr ?? "10.77.0.0/24", 16, 26),
    firmware,
    defaultMachineType,
  };
}
