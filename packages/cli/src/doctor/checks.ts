import { existsSync, readFileSync, statSync } from "node:fs";
import { userInfo } from "node:os";
import { DEFAULT_DISK_GIB } from "@minos/core/render";
import type { HostToolName } from "@minos/libvirt/host";
import { HOST_TOOLS } from "@minos/libvirt/host";
import type { HostProbe } from "./host-probe.js";
import { canReadWrite, fields, qemuUserFrom, virshReason } from "./host-probe.js";

/** A check's verdict: `warn` where the host works, but slowly or not for everything. */
export type Status = "ok" | "warn" | "FAIL";

/** One line of the report, and the fix when it is not `ok`. */
export interface CheckLine {
  status: Status;
  check: string;
  detail: string;
  fix?: string;
}

/**
 * Nodes of the default KVM example (`examples/kvm-flatcar`): one
 * control-plane node and one worker.
 */
export const EXAMPLE_NODES = 2;

/**
 * What one base image takes in the pool, unpacked: an allowance above the
 * qcow2 images minos downloads (Flatcar's and Fedora CoreOS's QEMU images,
 * Talos's nocloud image), each one to two GiB.
 */
export const BASE_IMAGE_GIB = 3;

const GIB = 1024 ** 3;
const gib = (bytes: number) => `${(bytes / GIB).toFixed(1)} GiB`;

/** Node 22 or later, as every package's `engines` says. */
export function nodeCheck(version = process.versions.node): CheckLine {
  const major = Number(version.split(".")[0]);
  return major >= 22
    ? { status: "ok", check: "node", detail: `v${version}` }
    : {
        status: "FAIL",
        check: "node",
        detail: `v${version}; minos needs Node 22 or later`,
        fix: "install Node 22 or later: https://nodejs.org/en/download (or your distribution's nodejs 22)",
      };
}

/** The Pulumi CLI, which runs every minos program. */
export async function pulumiCheck(host: HostProbe): Promise<CheckLine> {
  const ran = host.which("pulumi") ? await host.run("pulumi", ["version"]) : undefined;
  if (ran?.ok) return { status: "ok", check: "pulumi", detail: ran.stdout.trim() };
  return {
    status: "FAIL",
    check: "pulumi",
    detail: ran
      ? `\`pulumi version\` failed: ${ran.stderr.trim()}`
      : "the Pulumi CLI is not on PATH; it runs every minos program",
    fix: "curl -fsSL https://get.pulumi.com | sh (https://www.pulumi.com/docs/install/)",
  };
}

/** Each program the libvirt driver runs, on PATH. */
export function toolChecks(host: HostProbe): CheckLine[] {
  return (Object.keys(HOST_TOOLS) as HostToolName[]).map((command) => {
    const { debianPackage, purpose } = HOST_TOOLS[command];
    const path = host.which(command);
    return path
      ? { status: "ok", check: command, detail: path }
      : {
          status: "FAIL",
          check: command,
          detail: `not on PATH; the libvirt driver runs it (it ${purpose})`,
          fix: `apt install ${debianPackage}`,
        };
  });
}

/** libvirtd answers at the URI. */
export async function libvirtCheck(host: HostProbe, uri: string, local: boolean) {
  if (!host.which("virsh"))
    return {
      status: "FAIL",
      check: "libvirtd",
      detail: `not asked: virsh is missing`,
      fix: `apt install ${HOST_TOOLS.virsh.debianPackage}`,
    } satisfies CheckLine;
  const ran = await host.run("virsh", ["--connect", uri, "version"]);
  if (ran.ok) {
    const f = fields(ran.stdout);
    const lib = f["Running against daemon"] ?? f["Using library"] ?? "";
    const hv = f["Running hypervisor"] ?? "";
    return {
      status: "ok",
      check: "libvirtd",
      detail: `${uri}: ${[hv, lib && `libvirt ${lib.replace(/^libvirt\s*/, "")}`].filter(Boolean).join(", ")}`,
    } satisfies CheckLine;
  }
  return {
    status: "FAIL",
    check: "libvirtd",
    detail: `no answer at ${uri}: ${virshReason(ran)}`,
    fix: local
      ? "apt install libvirt-daemon-system, then systemctl enable --now libvirtd (not root? adduser $USER libvirt, and log in again)"
      : "check the URI, that libvirtd runs on that host, and that you may log in there",
  } satisfies CheckLine;
}

/** The account QEMU runs as: the caller for a session URI, else qemu.conf's `user`, else Debian's. */
function qemuUser(uri: string, qemuConf: string): string {
  if (/^qemu(\+unix)?:\/\/\/session/.test(uri)) return userInfo().username;
  const conf = existsSync(qemuConf) ? qemuUserFrom(readFileSync(qemuConf, "utf8")) : undefined;
  return conf ?? "libvirt-qemu";
}

/** /dev/kvm present and open to the account QEMU runs as; without it guests are emulated. */
export async function kvmCheck(
  host: HostProbe,
  uri: string,
  local: boolean,
  paths = { device: "/dev/kvm", qemuConf: "/etc/libvirt/qemu.conf" },
): Promise<CheckLine> {
  const check = "kvm";
  if (!local) return notCheckedRemotely(check);
  const slow = "guests run in software emulation (slow)";
  if (!existsSync(paths.device))
    return {
      status: "warn",
      check,
      detail: `no ${paths.device}: ${slow}`,
      fix: "enable VT-x/AMD-V in the firmware and modprobe kvm_intel or kvm_amd (in a VM: turn on nested virtualization)",
    };
  const user = qemuUser(uri, paths.qemuConf);
  const [uid, gids] = await Promise.all([
    host.run("id", ["-u", user]),
    host.run("id", ["-G", user]),
  ]);
  if (!uid.ok || !gids.ok)
    return {
      status: "warn",
      check,
      detail: `no account ${user}, which QEMU runs as (${paths.qemuConf})`,
      fix: "apt install libvirt-daemon-system (it makes libvirt-qemu)",
    };
  const device = statSync(paths.device);
  const mode = (device.mode & 0o777).toString(8).padStart(4, "0");
  const owner = `${device.uid}:${device.gid} ${mode}`;
  const usable = canReadWrite(device, {
    uid: Number(uid.stdout.trim()),
    gids: gids.stdout.trim().split(/\s+/).map(Number),
  });
  return usable
    ? { status: "ok", check, detail: `${paths.device} (${owner}) is open to ${user}` }
    : {
        status: "warn",
        check,
        detail: `${user}, which QEMU runs as, cannot open ${paths.device} (${owner}): ${slow}`,
        fix: `adduser ${user} kvm, and give ${paths.device} group kvm mode 0660 (udev's rule does; by hand: chgrp kvm ${paths.device}; chmod 0660 ${paths.device}), then restart libvirtd`,
      };
}

/** The storage pool exists, is running, and has room for the default example. */
export async function poolChecks(
  host: HostProbe,
  uri: string,
  pool: string,
  reachable: boolean,
): Promise<CheckLine[]> {
  if (!reachable)
    return [
      {
        status: "FAIL",
        check: "pool",
        detail: `not asked: no libvirtd at ${uri}`,
        fix: "see libvirtd above",
      },
    ];
  const ran = await host.run("virsh", ["--connect", uri, "pool-info", "--bytes", pool]);
  const define =
    pool === "default"
      ? `virsh --connect ${uri} pool-define-as default dir --target /var/lib/libvirt/images && virsh --connect ${uri} pool-build default && virsh --connect ${uri} pool-start default && virsh --connect ${uri} pool-autostart default`
      : `make it (virsh pool-define-as ${pool} dir --target <dir>; pool-build; pool-start), or give --pool the name of yours (virsh --connect ${uri} pool-list --all)`;
  if (!ran.ok)
    return [
      {
        status: "FAIL",
        check: "pool",
        detail: `no pool ${pool} at ${uri}: ${virshReason(ran)}`,
        fix: define,
      },
    ];
  const info = fields(ran.stdout);
  if (info.State !== "running")
    return [
      {
        status: "FAIL",
        check: "pool",
        detail: `pool ${pool} is ${info.State ?? "in an unknown state"}`,
        fix: `virsh --connect ${uri} pool-start ${pool} && virsh --connect ${uri} pool-autostart ${pool}`,
      },
    ];
  const space = spaceCheck(uri, pool, Number.parseInt(info.Available ?? "", 10));
  return [
    {
      status: "ok",
      check: "pool",
      detail: `${pool} is running (autostart ${info.Autostart ?? "unknown"})`,
    },
    space,
  ];
}

/**
 * The pool's free bytes against the default example's need: FAIL below one
 * base image, warn below the example's whole disks (they are thin qcow2
 * overlays: nodes start, and fill the pool as they pull images).
 */
export function spaceCheck(uri: string, pool: string, available: number): CheckLine {
  const need = BASE_IMAGE_GIB + EXAMPLE_NODES * DEFAULT_DISK_GIB;
  const figure = `${need} GiB: a ${BASE_IMAGE_GIB} GiB base image + ${EXAMPLE_NODES} nodes × ${DEFAULT_DISK_GIB} GiB disk (the default diskGiB) for examples/kvm-flatcar`;
  return !Number.isFinite(available)
    ? {
        status: "warn",
        check: "pool space",
        detail: `virsh pool-info gave no free space for ${pool}`,
        fix: `virsh --connect ${uri} pool-info ${pool}`,
      }
    : available < BASE_IMAGE_GIB * GIB
      ? {
          status: "FAIL",
          check: "pool space",
          detail: `${gib(available)} free in ${pool}; a base image alone takes up to ${BASE_IMAGE_GIB} GiB`,
          fix: `free space under the pool's directory, or use a larger pool (--pool)`,
        }
      : available < need * GIB
        ? {
            status: "warn",
            check: "pool space",
            detail: `${gib(available)} free in ${pool}, less than ${figure}; disks are thin qcow2 overlays, so nodes start but may fill it`,
            fix: "free space under the pool's directory, give nodes smaller disks (diskGiB), or use a larger pool (--pool)",
          }
        : {
            status: "ok",
            check: "pool space",
            detail: `${gib(available)} free in ${pool}, at least ${figure}`,
          };
}

/** aarch64 UEFI firmware where the KVM platform looks by default; arm64 nodes need it, amd64 do not. */
export function uefiCheck(
  local: boolean,
  firmware: { code: string; varsTemplate: string },
): CheckLine {
  const check = "arm64 UEFI";
  if (!local) return notCheckedRemotely(check);
  const missing = [firmware.code, firmware.varsTemplate].filter((p) => !existsSync(p));
  return missing.length === 0
    ? { status: "ok", check, detail: firmware.code }
    : {
        status: "warn",
        check,
        detail: `no ${missing.join(", ")}: arm64 nodes cannot boot (amd64 nodes do not need it)`,
        fix: "apt install qemu-efi-aarch64 (or give kvm({ uefiFirmware }) the files' paths)",
      };
}

/** What a check of the machine itself says when libvirt is on another host. */
function notCheckedRemotely(check: string): CheckLine {
  return {
    status: "warn",
    check,
    detail: "not checked: the libvirt host is remote",
    fix: "run minos doctor on that host",
  };
}
