import type { DomainSpec } from "./domain-xml.js";
import { virsh, virshIfExists } from "./virsh.js";

// What a domain meets on its host once defined, through virsh: the virt
// type the host's capabilities give it, the address its network leases it,
// a new size, and the restart that takes it.

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

/** The virt type a domain is defined with: the one asked for, or for `auto` the host's best. */
export async function virtTypeOf(
  uri: string,
  wanted: "auto" | "kvm" | "qemu",
  arch: DomainSpec["arch"],
): Promise<"kvm" | "qemu"> {
  if (wanted !== "auto") return wanted;
  return virtTypeFor(await virsh(uri, ["capabilities"]), arch);
}

/**
 * The IPv4 address the network's DHCP leased to this MAC: what a guest
 * without a reservation got, once it has booted far enough to ask.
 */
export async function leasedAddress(
  uri: string,
  network: { name: string; mac: string },
  seconds: number,
): Promise<string> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const leases = await virsh(uri, ["net-dhcp-leases", network.name, "--mac", network.mac]);
    const address = /\sipv4\s+(\d+\.\d+\.\d+\.\d+)\//.exec(leases)?.[1];
    if (address) return address;
    if (Date.now() > deadline)
      throw new Error(
        `minos: the guest with MAC ${network.mac} took no address on network ${network.name} within ${seconds} s; its console (virsh console) says why`,
      );
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** How long a guest gets to power off on its own before it is forced off (a test may shorten it). */
export const shutdownWait = { seconds: 120 };

/**
 * Writes a new size into a domain's persistent definition, each limit
 * before the value under it (a maximum is raised first and lowered last).
 */
export async function resize(
  uri: string,
  name: string,
  olds: Pick<DomainSpec, "vcpus" | "memoryMiB">,
  news: Pick<DomainSpec, "vcpus" | "memoryMiB">,
) {
  const vcpus = [
    ["setvcpus", name, String(news.vcpus), "--config", "--maximum"],
    ["setvcpus", name, String(news.vcpus), "--config"],
  ];
  const kib = String(news.memoryMiB * 1024);
  const memory = [
    ["setmaxmem", name, kib, "--config"],
    ["setmem", name, kib, "--config"],
  ];
  for (const args of news.vcpus >= olds.vcpus ? vcpus : vcpus.reverse()) await virsh(uri, args);
  for (const args of news.memoryMiB >= olds.memoryMiB ? memory : memory.reverse())
    await virsh(uri, args);
}

/** Shuts a running domain down (ACPI, forced after `shutdownWait`) and starts it again. */
export async function restart(uri: string, name: string) {
  await virsh(uri, ["shutdown", name]).catch(() => undefined);
  const deadline = Date.now() + shutdownWait.seconds * 1000;
  while ((await virshIfExists(uri, ["domstate", name]))?.trim() !== "shut off") {
    if (Date.now() > deadline) {
      await virsh(uri, ["destroy", name]).catch(() => undefined);
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  await virsh(uri, ["start", name]);
}
