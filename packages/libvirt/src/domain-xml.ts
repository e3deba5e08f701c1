import type { ObjectMark } from "./ownership.js";
import { ownerMetadata } from "./ownership.js";
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

/**
 * UEFI firmware files on the libvirt host: the read-only code, mapped as
 * pflash, and the variable store each domain's own NVRAM is copied from.
 */
export interface UefiFirmware {
  /** e.g. `/usr/share/AAVMF/AAVMF_CODE.fd` */
  code: string;
  /** e.g. `/usr/share/AAVMF/AAVMF_VARS.fd` */
  varsTemplate: string;
}

/**
 * The CPU QEMU emulates for an aarch64 guest without KVM: its `virt`
 * machine defaults to a 32-bit Cortex-A15, which cannot run an arm64
 * kernel. Flatcar's own QEMU script (`build_library/qemu_template.sh`)
 * uses the same model off arm64 hosts.
 */
export const AARCH64_EMULATED_CPU = "cortex-a57";

/** A domain as minos describes it. */
export interface DomainSpec {
  name: string;
  /** `kvm` where the host has it, `qemu` (software emulation) otherwise. */
  virtType: "kvm" | "qemu";
  arch: "x86_64" | "aarch64";
  vcpus: number;
  memoryMiB: number;
  firmware: "bios" | "uefi";
  /**
   * With `uefi`: these files, as pflash code and an NVRAM template.
   * Without: libvirt picks firmware from the host's descriptors
   * (`<os firmware="efi">`).
   */
  uefiFirmware?: UefiFirmware;
  disks: DomainDisk[];
  network?: { name: string; mac: string };
  /** Serial console to this file on the host; otherwise a pty. */
  serialLog?: string;
  /** Direct kernel boot, for tests and PXE-like setups. */
  kernel?: { path: string; initrd?: string; cmdline?: string };
  firstBoot?: FirstBoot;
  /**
   * The guest's host name, as systemd's `system.hostname` credential in an
   * SMBIOS OEM string (systemd 254 and later read it at boot): for a guest
   * whose address, and so whose name, no DHCP reservation gives.
   */
  hostname?: string;
}

/**
 * Renders domain XML. ACPI is always on: without it the guest cannot see
 * fw_cfg entries, which QEMU would still accept silently (on aarch64 libvirt
 * allows ACPI only with UEFI, which those guests always have). With a mark,
 * the domain gets its UUID and minos's owner mark in `<metadata>`.
 */
export function domainXml(d: DomainSpec, mark?: ObjectMark): string {
  const cdroms = d.disks.filter((disk) => disk.device === "cdrom");
  const disks = d.disks.filter((disk) => disk.device !== "cdrom");
  const x86 = d.arch === "x86_64";
  const uefi = d.firmware === "uefi";
  const smbios = [
    ...(d.firstBoot?.kind === "smbios" ? d.firstBoot.oemStrings : []),
    ...(d.hostname ? [`io.systemd.credential:system.hostname=${d.hostname}`] : []),
  ];
  // fw_cfg entries and SMBIOS strings are two <sysinfo> elements of their own.
  const sysinfo = [
    ...(d.firstBoot?.kind === "fw_cfg"
      ? [{ "@_type": "fwcfg", entry: [{ "@_name": d.firstBoot.key, "@_file": d.firstBoot.path }] }]
      : []),
    ...(smbios.length > 0 ? [{ "@_type": "smbios", oemStrings: { entry: smbios } }] : []),
  ];
  return toXml({
    domain: {
      "@_type": d.virtType,
      name: d.name,
      uuid: mark?.uuid,
      metadata: mark && ownerMetadata(mark.owner),
      memory: { "@_unit": "MiB", "#text": d.memoryMiB },
      vcpu: d.vcpus,
      ...(sysinfo.length > 0 && { sysinfo: sysinfo.length === 1 ? sysinfo[0] : sysinfo }),
      os: {
        ...(uefi && !d.uefiFirmware && { "@_firmware": "efi" }),
        type: { "@_arch": d.arch, "@_machine": x86 ? "q35" : "virt", "#text": "hvm" },
        ...(uefi &&
          d.uefiFirmware && {
            loader: { "@_readonly": "yes", "@_type": "pflash", "#text": d.uefiFirmware.code },
            nvram: { "@_template": d.uefiFirmware.varsTemplate },
          }),
        ...(d.kernel && {
          kernel: d.kernel.path,
          ...(d.kernel.initrd && { initrd: d.kernel.initrd }),
          ...(d.kernel.cmdline && { cmdline: d.kernel.cmdline }),
        }),
        ...(!d.kernel && { boot: { "@_dev": "hd" } }),
        ...(smbios.length > 0 && { smbios: { "@_mode": "sysinfo" } }),
      },
      features: { acpi: "", ...(x86 && { apic: "" }) },
      ...(d.virtType === "kvm" && { cpu: { "@_mode": "host-passthrough" } }),
      ...(d.virtType === "qemu" &&
        !x86 && {
          cpu: {
            "@_mode": "custom",
            "@_match": "exact",
            model: { "@_fallback": "forbid", "#text": AARCH64_EMULATED_CPU },
          },
        }),
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
