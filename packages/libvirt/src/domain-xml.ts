import { toXml } from "./xml.js";

/** A disk attached to a domain: a pool volume. */
export interface DomainDisk {
  pool: string;
  volume: string;
  format: "qcow2" | "raw";
  /** `cdrom` for config ISOs. Default `disk`. */
  device?: "disk" | "cdrom";
}

/** How the first-boot payload reaches the guest. */
export type FirstBoot =
  /** A QEMU fw_cfg entry (Ignition: `opt/org.flatcar-linux/config`, `opt/com.coreos/config`). */
  | { kind: "fw_cfg"; key: string; path: string }
  /** SMBIOS OEM strings (Talos reads its config URL this way, among others). */
  | { kind: "smbios"; oemStrings: string[] };

/** A domain as minos describes it. */
export interface DomainSpec {
  name: string;
  /** `kvm` where the host has it, `qemu` (software emulation) otherwise. */
  virtType: "kvm" | "qemu";
  arch: "x86_64" | "aarch64";
  vcpus: number;
  memoryMiB: number;
  firmware: "bios" | "uefi";
  disks: DomainDisk[];
  network?: { name: string; mac: string };
  /** Serial console to this file on the host; otherwise a pty. */
  serialLog?: string;
  /** Direct kernel boot, for tests and PXE-like setups. */
  kernel?: { path: string; initrd?: string; cmdline?: string };
  firstBoot?: FirstBoot;
}

/**
 * Renders domain XML. ACPI is always on: without it the guest cannot see
 * fw_cfg entries, which QEMU would still accept silently.
 */
export function domainXml(d: DomainSpec): string {
  const cdroms = d.disks.filter((disk) => disk.device === "cdrom");
  const disks = d.disks.filter((disk) => disk.device !== "cdrom");
  const x86 = d.arch === "x86_64";
  return toXml({
    domain: {
      "@_type": d.virtType,
      name: d.name,
      memory: { "@_unit": "MiB", "#text": d.memoryMiB },
      vcpu: d.vcpus,
      ...(d.firstBoot?.kind === "fw_cfg" && {
        sysinfo: {
          "@_type": "fwcfg",
          entry: [{ "@_name": d.firstBoot.key, "@_file": d.firstBoot.path }],
        },
      }),
      ...(d.firstBoot?.kind === "smbios" && {
        sysinfo: { "@_type": "smbios", oemStrings: { entry: d.firstBoot.oemStrings } },
      }),
      os: {
        ...(d.firmware === "uefi" && { "@_firmware": "efi" }),
        type: { "@_arch": d.arch, "@_machine": x86 ? "q35" : "virt", "#text": "hvm" },
        ...(d.kernel && {
          kernel: d.kernel.path,
          ...(d.kernel.initrd && { initrd: d.kernel.initrd }),
          ...(d.kernel.cmdline && { cmdline: d.kernel.cmdline }),
        }),
        ...(!d.kernel && { boot: { "@_dev": "hd" } }),
        ...(d.firstBoot?.kind === "smbios" && { smbios: { "@_mode": "sysinfo" } }),
      },
      features: { acpi: "", ...(x86 && { apic: "" }) },
      ...(d.virtType === "kvm" && { cpu: { "@_mode": "host-passthrough" } }),
      on_poweroff: "destroy",
      on_reboot: "restart",
      on_crash: "destroy",
      devices: {
        disk: [
          ...disks.map((disk, i) => ({
            "@_type": "volume",
            "@_device": "disk",
            driver: { "@_name": "qemu", "@_type": disk.format },
            source: { "@_pool": disk.pool, "@_volume": disk.volume },
            target: { "@_dev": `vd${String.fromCharCode(97 + i)}`, "@_bus": "virtio" },
          })),
          ...cdroms.map((disk, i) => ({
            "@_type": "volume",
            "@_device": "cdrom",
            driver: { "@_name": "qemu", "@_type": "raw" },
            source: { "@_pool": disk.pool, "@_volume": disk.volume },
            target: { "@_dev": `sd${String.fromCharCode(97 + i)}`, "@_bus": "sata" },
            readonly: "",
          })),
        ],
        ...(d.network && {
          interface: [
            {
              "@_type": "network",
              source: { "@_network": d.network.name },
              mac: { "@_address": d.network.mac },
              model: { "@_type": "virtio" },
            },
          ],
        }),
        serial: d.serialLog
          ? { "@_type": "file", source: { "@_path": d.serialLog }, target: { "@_port": 0 } }
          : { "@_type": "pty", target: { "@_port": 0 } },
        console: {
          "@_type": d.serialLog ? "file" : "pty",
          ...(d.serialLog && { source: { "@_path": d.serialLog } }),
          target: { "@_type": "serial", "@_port": 0 },
        },
        rng: { "@_model": "virtio", backend: { "@_model": "random", "#text": "/dev/urandom" } },
      },
    },
  });
}
