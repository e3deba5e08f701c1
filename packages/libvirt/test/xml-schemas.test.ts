import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { haveTool } from "../../../test/support/system-tools.js";
import { type DomainSpec, domainXml, networkXml } from "../src/index.js";
import { fromXml } from "../src/xml.js";

const canValidate =
  haveTool("virt-xml-validate", "virt-xml-validate") && haveTool("xmllint", "xmllint");
const dir = mkdtempSync(join(tmpdir(), "minos-xml-"));

/** Validates XML against libvirt's own RNG schema for its kind. */
function validate(
  kind: "domain" | "network",
  xml: string,
): { code: number | null; output: string } {
  const file = join(dir, `${kind}-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const run = spawnSync("virt-xml-validate", [file, kind], { encoding: "utf8" });
  return { code: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

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
];

describe.skipIf(!canValidate)("libvirt's own schemas accept what minos renders", () => {
  it.each(variants)("domain: %s", (_, spec) => {
    expect(validate("domain", domainXml(spec))).toEqual({
      code: 0,
      output: expect.stringContaining("validates"),
    });
  });

  it("network with reservations", () => {
    const xml = networkXml({
      uri: "",
      name: "minos-lab",
      cidr: "10.77.0.0/24",
      hosts: [{ mac: "52:54:00:AA:BB:CC", ip: "10.77.0.10", name: "lab-cp-0" }],
    });
    expect(validate("network", xml)).toEqual({
      code: 0,
      output: expect.stringContaining("validates"),
    });
  });

  it("catches a broken document (the oracle can fail)", () => {
    expect(
      validate("domain", domainXml(base).replace("<vcpu>2</vcpu>", "<vcpu>two</vcpu>")).code,
    ).not.toBe(0);
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
});
