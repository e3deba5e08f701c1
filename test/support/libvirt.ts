import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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
    haveTool("tini", "tini"),
    haveTool("QEMU", "qemu-system-x86_64"),
    haveTool("qemu-img", "qemu-img"),
    haveTool("genisoimage", "genisoimage"),
    haveTool("test guest kernel", join(GUEST_DIR, "vmlinuz")),
    haveTool("test guest modules", join(GUEST_DIR, "modules/order")),
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

/**
 * Gives /dev/kvm the group and mode udev gives it on an installed Debian
 * (root:kvm 0660, with libvirt's QEMU user in kvm) where no udev ran. libvirt
 * probes QEMU as that user and finds KVM present, then finds /dev/kvm closed
 * to it and judges its capabilities cache stale: every define and start then
 * re-probes each QEMU binary, seconds apiece, minutes under load. The tests'
 * guests run in software emulation all the same (virtType "qemu").
 */
function letQemuReachKvm(): void {
  if (!existsSync("/dev/kvm")) return;
  if (sh("runuser -u libvirt-qemu -- test -r /dev/kvm -a -w /dev/kvm").status === 0) return;
  if (sh("getent group kvm").status !== 0) execFileSync("groupadd", ["--system", "kvm"]);
  execFileSync("chgrp", ["kvm", "/dev/kvm"]);
  chmodSync("/dev/kvm", 0o660);
  execFileSync("usermod", ["--append", "--groups", "kvm", "libvirt-qemu"]);
}

/** Starts virtlogd and libvirtd unless libvirtd answers; the caller holds the start lock. */
function startDaemons(): void {
  if (virshOk()) {
    // Ours, and its log daemon gone (killed by hand): guests cannot start without it.
    if (existsSync(STARTED) && sh("pgrep -x virtlogd").status !== 0)
      execFileSync("/usr/sbin/virtlogd", ["-d"]);
    return;
  }
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
  letQemuReachKvm();
  if (sh("pgrep -x virtlogd").status !== 0) execFileSync("/usr/sbin/virtlogd", ["-d"]);
  // QEMU daemonizes (its capability probes too), so its processes end up
  // orphans; where PID 1 is not an init that reaps them (containers,
  // microVMs) libvirt waits on each zombie for seconds. tini -s adopts them.
  spawn("tini", ["-s", "--", "/usr/sbin/libvirtd"], { detached: true, stdio: "ignore" }).unref();
  writeFileSync(STARTED, "");
  const deadline = Date.now() + 30_000;
  while (!virshOk()) {
    if (Date.now() > deadline)
      throw new Error("libvirtd did not answer within 30 s; see /var/log/libvirt/libvirtd.log");
    execFileSync("sleep", ["0.2"]);
  }
}

/** Whether a process of this pid runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Takes the start lock (an atomic mkdir holding its owner's pid), waiting
 * up to 60 s; returns its release. A lock whose owner died (a killed test
 * run) is taken over.
 */
function startLock(): () => void {
  const lock = join(USERS, "start.lock");
  const owner = join(lock, "pid");
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(existsSync(owner) ? readFileSync(owner, "utf8") : "");
      if (pid > 0 && !alive(pid)) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`the libvirt start lock ${lock} was held for 60 s`);
      else execFileSync("sleep", ["0.1"]);
    }
  }
}

/** One file per test process using the harness's libvirtd, named by its pid. */
const USERS = "/run/minos-test-libvirt";
/** Present while daemons the harness started run. */
const STARTED = join(USERS, "started");

/** Test processes still using libvirtd (a crashed one's file is ignored). */
function liveUsers(): string[] {
  return readdirSync(USERS).filter((f) => /^\d+$/.test(f) && alive(Number(f)));
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
  // Test files run in parallel processes and share one libvirtd: each says
  // it uses it before asking whether it runs, so the last one out, and only
  // it, stops what the harness started.
  mkdirSync(USERS, { recursive: true });
  // Files of runs that were killed: their pid could come back as a stranger's.
  for (const f of readdirSync(USERS))
    if (/^\d+$/.test(f) && !alive(Number(f))) rmSync(join(USERS, f), { force: true });
  const me = join(USERS, String(process.pid));
  writeFileSync(me, "");
  // One process at a time starts the daemons: a second virtlogd or libvirtd
  // started beside the first takes over its socket, then exits on its pid
  // file, and the socket is gone for everyone.
  const release = startLock();
  try {
    startDaemons();
  } finally {
    release();
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
      rmSync(me, { force: true });
      // Under the start lock, and until they are gone: a daemon still dying
      // looks alive to the next starter, then takes its socket with it.
      const release = startLock();
      try {
        if (liveUsers().length === 0 && existsSync(STARTED)) {
          rmSync(STARTED, { force: true });
          sh("pkill -x libvirtd; pkill -x virtlogd");
          const deadline = Date.now() + 15_000;
          while (sh("pgrep -x 'libvirtd|virtlogd'").status === 0 && Date.now() < deadline)
            execFileSync("sleep", ["0.1"]);
        }
      } finally {
        release();
      }
    },
  };
}

/** What a probe guest prints: `read` is a shell command whose output goes between markers. */
export const probes = {
  /** One fw_cfg entry, as QEMU hands it to the guest. */
  fwCfg: (key: string) => `/bin/busybox base64 /sys/firmware/qemu_fw_cfg/by_name/${key}/raw`,
  /** A NoCloud seed: the first CD-ROM, mounted, its user-data. */
  cidata: () =>
    [
      "for i in $(/bin/busybox seq 1 100); do [ -b /dev/sr0 ] && break; /bin/busybox sleep 0.2; done",
      "/bin/busybox mkdir -p /seed",
      "/bin/busybox mount -t iso9660 -o ro /dev/sr0 /seed",
      "/bin/busybox base64 /seed/user-data",
    ].join("\n"),
  /**
   * A DHCP lease on the first NIC, configured, then the lines it prints
   * (`lease=<address>`, and what `then` prints with `$ROUTER` the gateway),
   * base64-encoded.
   */
  lease: (then = "") =>
    [
      "( /bin/busybox ip link set lo up",
      "/bin/busybox ip link set eth0 up",
      `printf '#!/bin/busybox sh\\n[ "$1" = bound ] || exit 0\\n/bin/busybox ip addr add $ip/$mask dev $interface\\necho "lease=$ip"\\necho "$router" > /router\\n' > /lease`,
      "/bin/busybox chmod +x /lease",
      "/bin/busybox udhcpc -i eth0 -n -q -t 60 -T 1 -s /lease",
      "ROUTER=$(/bin/busybox cat /router)",
      then,
      ") 2>/dev/null | /bin/busybox base64",
    ].join("\n"),
  /** SMBIOS type 11 OEM strings, one per line. */
  oemStrings: () =>
    "/bin/busybox cat /sys/firmware/dmi/entries/11-*/raw | /bin/busybox strings -n 4",
};

/**
 * A tiny initramfs: busybox as /init loads the staged kernel modules in
 * order, prints the output of `read` base64-encoded between markers on the
 * serial console, and powers off.
 */
export function probeInitrd(dir: string, read: string): string {
  const root = join(dir, "initrd-root");
  mkdirSync(join(root, "bin"), { recursive: true });
  execFileSync("cp", [join(GUEST_DIR, "busybox"), join(root, "bin/busybox")]);
  execFileSync("cp", ["-r", join(GUEST_DIR, "modules"), join(root, "modules")]);
  writeFileSync(
    join(root, "init"),
    [
      "#!/bin/busybox sh",
      "/bin/busybox mkdir -p /proc /sys /dev",
      "/bin/busybox mount -t proc proc /proc",
      "/bin/busybox mount -t sysfs sysfs /sys",
      "/bin/busybox mount -t devtmpfs dev /dev",
      "for m in $(/bin/busybox cat /modules/order); do /bin/busybox insmod /modules/$m.ko; done",
      "echo MINOS-PROBE-BEGIN",
      read,
      "echo MINOS-PROBE-END",
      "/bin/busybox poweroff -f",
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  const initrd = join(dir, `initrd-${Date.now()}.cpio`);
  execFileSync("sh", [
    "-c",
    `cd '${root}' && find . | ./bin/busybox cpio -o -H newc > '${initrd}' 2>/dev/null`,
  ]);
  execFileSync("rm", ["-rf", root]);
  if (!existsSync(initrd)) throw new Error("could not build the test initramfs");
  return initrd;
}

/** Waits for a probe guest to power off; returns the bytes it printed between the markers. */
export async function probeOutput(
  uri: string,
  domain: string,
  serialLog: string,
  timeoutMs = 90_000,
): Promise<Buffer> {
  const started = Date.now();
  while (
    spawnSync("virsh", ["--connect", uri, "domstate", domain], {
      encoding: "utf8",
    }).stdout.trim() !== "shut off"
  ) {
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `guest ${domain} did not power off; serial log:\n${readFileSync(serialLog, "utf8")}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
  const log = readFileSync(serialLog, "utf8");
  const b64 = /MINOS-PROBE-BEGIN\r?\n([\s\S]*?)MINOS-PROBE-END/.exec(log)?.[1]?.replace(/\s+/g, "");
  if (b64 === undefined) throw new Error(`no probe output in the serial log:\n${log}`);
  return Buffer.from(b64, "base64");
}
