import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { haveTool } from "./system-tools.js";

export const URI = "qemu:///system";
/** Where scripts/install-test-tools.sh stages the tiny test guest. */
export const GUEST_DIR = process.env.MINOS_TEST_GUEST_DIR ?? "/var/cache/minos-test-guest";

const virshOk = () =>
  spawnSync("virsh", ["--connect", URI, "version"], { encoding: "utf8" }).status === 0;
const sh = (command: string) => spawnSync("sh", ["-c", command], { encoding: "utf8" });

/** Whether this machine can run the real-libvirt tests (loud skip, or a failure under CI). */
export function haveLibvirt(): boolean {
  const tools = [
    haveTool("virsh", "virsh"),
    haveTool("libvirtd", "/usr/sbin/libvirtd"),
    haveTool("virtlogd", "/usr/sbin/virtlogd"),
    haveTool("QEMU", "qemu-system-x86_64"),
    haveTool("qemu-img", "qemu-img"),
    haveTool("genisoimage", "genisoimage"),
    haveTool("test guest kernel", join(GUEST_DIR, "vmlinuz")),
  ].every(Boolean);
  if (!tools) return false;
  if (process.getuid?.() !== 0 && !virshOk()) {
    if (process.env.CI === "true")
      throw new Error("real-libvirt tests need root (or a running qemu:///system) under CI=true");
    console.warn("\n!!! SKIPPING real-libvirt tests: not root and no qemu:///system to talk to.\n");
    return false;
  }
  return true;
}

/** A running libvirtd and a private, throwaway storage pool. */
export interface Libvirt {
  uri: string;
  pool: string;
  poolDir: string;
  stop(): void;
}

/**
 * Starts virtlogd and libvirtd unless they already answer, and makes a pool
 * in a fresh directory. `stop()` removes the pool and stops what it started.
 */
export function startLibvirt(): Libvirt {
  let started = false;
  if (!virshOk()) {
    if (sh("getent passwd libvirt-qemu").status !== 0) {
      execFileSync("useradd", [
        "--system",
        "--no-create-home",
        "--shell",
        "/usr/sbin/nologin",
        "libvirt-qemu",
      ]);
    }
    for (const dir of ["/var/log/libvirt", "/var/lib/libvirt", "/run/libvirt"])
      mkdirSync(dir, { recursive: true });
    if (sh("pgrep -x virtlogd").status !== 0) execFileSync("/usr/sbin/virtlogd", ["-d"]);
    execFileSync("/usr/sbin/libvirtd", ["-d"]);
    started = true;
    const deadline = Date.now() + 30_000;
    while (!virshOk()) {
      if (Date.now() > deadline)
        throw new Error("libvirtd did not answer within 30 s; see /var/log/libvirt/libvirtd.log");
      execFileSync("sleep", ["0.2"]);
    }
  }
  const poolDir = mkdtempSync("/var/lib/libvirt/minos-test-");
  // QEMU runs as libvirt-qemu and must reach the volumes.
  chmodSync(poolDir, 0o755);
  const pool = `minos-test-${poolDir.slice(-6)}`;
  execFileSync("virsh", ["--connect", URI, "pool-define-as", pool, "dir", "--target", poolDir]);
  execFileSync("virsh", ["--connect", URI, "pool-start", pool]);
  return {
    uri: URI,
    pool,
    poolDir,
    stop() {
      sh(
        `virsh --connect ${URI} pool-destroy ${pool}; virsh --connect ${URI} pool-undefine ${pool}`,
      );
      rmSync(poolDir, { recursive: true, force: true });
      if (started) sh("pkill -x libvirtd; pkill -x virtlogd");
    },
  };
}

/**
 * A tiny initramfs: busybox as /init loads qemu_fw_cfg, prints one fw_cfg
 * entry base64-encoded between markers on the serial console, and powers off.
 */
export function fwCfgProbeInitrd(dir: string, key: string): string {
  const root = join(dir, "initrd-root");
  mkdirSync(join(root, "bin"), { recursive: true });
  execFileSync("cp", [join(GUEST_DIR, "busybox"), join(root, "bin/busybox")]);
  execFileSync("cp", [join(GUEST_DIR, "qemu_fw_cfg.ko"), join(root, "qemu_fw_cfg.ko")]);
  writeFileSync(
    join(root, "init"),
    [
      "#!/bin/busybox sh",
      "/bin/busybox mkdir -p /proc /sys",
      "/bin/busybox mount -t proc proc /proc",
      "/bin/busybox mount -t sysfs sysfs /sys",
      "/bin/busybox insmod /qemu_fw_cfg.ko",
      "echo MINOS-FWCFG-BEGIN",
      `/bin/busybox base64 /sys/firmware/qemu_fw_cfg/by_name/${key}/raw`,
      "echo MINOS-FWCFG-END",
      "/bin/busybox poweroff -f",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  const initrd = join(dir, "initrd.cpio");
  execFileSync("sh", [
    "-c",
    `cd '${root}' && find . | ./bin/busybox cpio -o -H newc > '${initrd}' 2>/dev/null`,
  ]);
  if (!existsSync(initrd)) throw new Error("could not build the test initramfs");
  chmodSync(dir, 0o755);
  return initrd;
}
