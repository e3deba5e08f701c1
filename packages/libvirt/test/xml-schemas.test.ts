import { describe, expect, it } from "vitest";
import {
  canValidateXml,
  validateLibvirtXml as validate,
} from "../../../test/support/libvirt-schemas.js";
import type { DomainSpec } from "../src/index.js";
import { domainXml, networkXml, virtTypeFor } from "../src/index.js";
import { markIn, newMark } from "../src/ownership.js";
import { fromXml } from "../src/xml.js";

const canValidate = canValidateXml();

const AAVMF = {
  code: "/usr/share/AAVMF/AAVMF_CODE.fd",
  varsTemplate: "/usr/share/AAVMF/AAVMF_VARS.fd",
};

const base: DomainSpec = {
  name: "n0",
  virtType: "kvm",
  arch: "x86_64",
  vcpus: 2,
  memoryMiB: 4096,
  firmware: "bios",
  disks: [{ pool: "default", volume: "n0.qcow2", format: "qcow2" }],
  network: { name: "minos-lab", mac: "52:54:00:12:34:56" },
};

const variants: [string, DomainSpec][] = [
  [
    "disk boot on a network, fw_cfg Ignition",
    {
      ...base,
      firstBoot: {
        kind: "fw_cfg",
        key: "opt/org.flatcar-linux/config",
        path: "/var/lib/libvirt/images/n0.firstboot",
      },
    },
  ],
  [
    "UEFI with a cidata CD-ROM",
    {
      ...base,
      firmware: "uefi",
      disks: [
        ...base.disks,
        { pool: "default", volume: "n0-seed.iso", format: "raw", device: "cdrom" },
      ],
    },
  ],
  [
    "SMBIOS OEM strings",
    {
      ...base,
      firstBoot: { kind: "smbios", oemStrings: ["talos.config=http://10.77.0.1/n0.yaml"] },
    },
  ],
  [
    "direct kernel boot, serial to a file, software emulation",
    {
      ...base,
      virtType: "qemu",
      disks: [],
      kernel: { path: "/boot/k", initrd: "/boot/i", cmdline: "console=ttyS0" },
      serialLog: "/var/log/n0.log",
    },
  ],
  ["aarch64", { ...base, arch: "aarch64", firmware: "uefi" }],
  [
    "aarch64, emulated, with AAVMF as pflash, an NVRAM template and fw_cfg Ignition",
    {
      ...base,
      arch: "aarch64",
      virtType: "qemu",
      firmware: "uefi",
      uefiFirmware: AAVMF,
      firstBoot: {
        kind: "fw_cfg",
        key: "opt/org.flatcar-linux/config",
        path: "/var/lib/libvirt/images/n0.firstboot",
      },
    },
  ],
  [
    "aarch64 on KVM with AAVMF",
    { ...base, arch: "aarch64", firmware: "uefi", uefiFirmware: AAVMF },
  ],
  [
    "x86_64 with OVMF files named",
    {
      ...base,
      firmware: "uefi",
      uefiFirmware: {
        code: "/usr/share/OVMF/OVMF_CODE_4M.fd",
        varsTemplate: "/usr/share/OVMF/OVMF_VARS_4M.fd",
      },
    },
  ],
  [
    "fw_cfg Ignition and a host name as an SMBIOS credential, two sysinfo elements",
    {
      ...base,
      hostname: "lab-worker-general-0-1a2b",
      firstBoot: {
        kind: "fw_cfg",
        key: "opt/org.flatcar-linux/config",
        path: "/var/lib/libvirt/images/n0.firstboot",
      },
    },
  ],
];

describe.skipIf(!canValidate)("libvirt's own schemas accept what minos renders", () => {
  it.each(variants)("domain: %s", (_, spec) => {
    expect(validate("domain", domainXml(spec))).toEqual({
      code: 0,
      output: expect.stringContaining("validates"),
    });
  });

  it("network with reservations, a reserved address and a reserved block", () => {
    const xml = networkXml({
      uri: "",
      name: "minos-lab",
      cidr: "10.77.0.0/24",
      hosts: [{ mac: "52:54:00:AA:BB:CC", ip: "10.77.0.10", name: "lab-cp-0" }],
      addresses: [{ ip: "10.77.0.5", name: "lab-api" }],
      ranges: [{ name: "lab-load-balancers", first: "10.77.0.120", last: "10.77.0.127" }],
    });
    expect(validate("network", xml)).toEqual({
      code: 0,
      output: expect.stringContaining("validates"),
    });
  });

  it("domain and network carrying minos's owner mark and UUID", () => {
    const mark = newMark();
    const domain = domainXml(base, mark);
    expect(domain).toContain(`<uuid>${mark.uuid}</uuid>`);
    expect(domain).toContain(
      `<minos:owner xmlns:minos="https://minos.dev/libvirt/1" id="${mark.owner}"/>`,
    );
    expect(markIn(domain)).toEqual(mark);
    expect(validate("domain", domain)).toEqual({
      code: 0,
      output: expect.stringContaining("validates"),
    });
    const network = networkXml(
      { uri: "", name: "minos-lab", cidr: "10.77.0.0/24", hosts: [] },
      mark,
    );
    expect(markIn(network)).toEqual(mark);
    expect(validate("network", network)).toEqual({
      code: 0,
      output: expect.stringContaining("validates"),
    });
  });

  it("catches a broken document (the oracle can fail)", () => {
    expect(
      validate("domain", domainXml(base).replace("<vcpu>2</vcpu>", "<vcpu>two</vcpu>")).code,
    ).not.toBe(0);
    // A firmware path libvirt cannot take (relative) fails too.
    const relative = {
      ...base,
      firmware: "uefi" as const,
      uefiFirmware: { ...AAVMF, code: "AAVMF_CODE.fd" },
    };
    expect(validate("domain", domainXml(relative)).code).not.toBe(0);
  });
});

describe("domain XML content", () => {
  it("always enables ACPI, so guests see fw_cfg", () => {
    for (const [, spec] of variants) expect(domainXml(spec)).toContain("<acpi/>");
  });

  it("points SMBIOS at its sysinfo and UEFI at efi firmware", () => {
    const smbios = fromXml<{
      domain: { os: { smbios: { "@_mode": string } }; sysinfo: { "@_type": string } };
    }>(domainXml(variants[2]?.[1] as DomainSpec));
    expect(smbios.domain.os.smbios["@_mode"]).toBe("sysinfo");
    expect(smbios.domain.sysinfo["@_type"]).toBe("smbios");
    expect(domainXml(variants[1]?.[1] as DomainSpec)).toContain('<os firmware="efi">');
  });

  it("maps named UEFI files as read-only pflash and an NVRAM template, instead of libvirt's pick", () => {
    const xml = fromXml<{
      domain: {
        os: {
          "@_firmware"?: string;
          type: { "@_arch": string; "@_machine": string };
          loader: { "@_readonly": string; "@_type": string; "#text": string };
          nvram: { "@_template": string };
        };
      };
    }>(domainXml({ ...base, arch: "aarch64", firmware: "uefi", uefiFirmware: AAVMF }));
    expect(xml.domain.os["@_firmware"]).toBeUndefined();
    expect(xml.domain.os.type).toMatchObject({ "@_arch": "aarch64", "@_machine": "virt" });
    expect(xml.domain.os.loader).toEqual({
      "@_readonly": "yes",
      "@_type": "pflash",
      "#text": "/usr/share/AAVMF/AAVMF_CODE.fd",
    });
    expect(xml.domain.os.nvram).toEqual({ "@_template": "/usr/share/AAVMF/AAVMF_VARS.fd" });
    expect(domainXml({ ...base, uefiFirmware: AAVMF })).not.toContain("<loader");
  });

  it("emulates a 64-bit Cortex-A57 for aarch64 without KVM, and passes the host CPU through with it", () => {
    const cpu = (spec: DomainSpec) =>
      fromXml<{ domain: { cpu?: unknown } }>(domainXml(spec)).domain.cpu;
    expect(cpu({ ...base, arch: "aarch64", virtType: "qemu", firmware: "uefi" })).toEqual({
      "@_mode": "custom",
      "@_match": "exact",
      model: { "@_fallback": "forbid", "#text": "cortex-a57" },
    });
    expect(cpu({ ...base, arch: "aarch64", virtType: "kvm", firmware: "uefi" })).toEqual({
      "@_mode": "host-passthrough",
    });
    expect(cpu({ ...base, virtType: "qemu" })).toBeUndefined();
  });
});

describe("virt type", () => {
  // Trimmed from `virsh capabilities` on an x86_64 host with KVM and qemu-system-aarch64.
  const capabilities = `<capabilities>
  <host><cpu><arch>x86_64</arch></cpu></host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='aarch64'>
      <wordsize>64</wordsize>
      <emulator>/usr/bin/qemu-system-aarch64</emulator>
      <domain type='qemu'/>
    </arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <domain type='qemu'/>
      <domain type='kvm'/>
    </arch>
  </guest>
</capabilities>`;

  it("is kvm only where the host offers KVM for the guest's own architecture", () => {
    expect(virtTypeFor(capabilities, "x86_64")).toBe("kvm");
    expect(virtTypeFor(capabilities, "aarch64")).toBe("qemu");
    expect(virtTypeFor(capabilities.replace("<domain type='kvm'/>", ""), "x86_64")).toBe("qemu");
  });
});
