import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doctor } from "../packages/cli/src/doctor/doctor.js";
import { HostProbe } from "../packages/cli/src/doctor/host-probe.js";
import type { Libvirt } from "./support/libvirt.js";
import { haveLibvirt, startLibvirt } from "./support/libvirt.js";

const runReal = haveLibvirt();
let lv: Libvirt;
const scratch: string[] = [];
beforeAll(() => {
  if (runReal) lv = startLibvirt();
}, 60_000);
afterAll(() => {
  if (runReal) lv.stop();
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** Whether the Pulumi CLI is on this machine's PATH: doctor FAILs without it, and it is not faked. */
const pulumiHere = new HostProbe(process.env).which("pulumi") !== undefined;

/** A PATH holding only the programs doctor may run, less `without`, each linked from where it lies. */
function pathWithout(...without: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "minos-doctor-path-"));
  scratch.push(dir);
  const host = new HostProbe(process.env);
  const wanted = ["virsh", "genisoimage", "mkfifo", "gzip", "bzip2", "xz", "id", "pulumi"];
  for (const command of wanted.filter((c) => !without.includes(c))) {
    const found = host.which(command);
    if (found) symlinkSync(found, join(dir, command));
  }
  return dir;
}

/** Runs doctor and returns its report's lines by check name (the fix, when any, under `fix`). */
async function run(argv: string[], path = process.env.PATH) {
  const report = await doctor(argv, { ...process.env, PATH: path });
  if (report === "help") throw new Error("doctor printed its help");
  const lines = new Map(report.checks.map((c) => [c.check, c]));
  const fails = report.checks.filter((c) => c.status === "FAIL").map((c) => c.check);
  return { report, lines, fails };
}

describe.skipIf(!runReal)("minos doctor against a real libvirtd", () => {
  it("on a working host, every line is ok but Pulumi's when the CLI is absent", async () => {
    const { report, lines, fails } = await run(["--pool", lv.pool]);
    for (const tool of ["virsh", "genisoimage", "mkfifo", "gzip", "bzip2", "xz"])
      expect(lines.get(tool)).toMatchObject({ status: "ok", detail: expect.stringMatching(/^\//) });
    expect(lines.get("libvirtd")).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/^qemu:\/\/\/system: QEMU [\d.]+, libvirt [\d.]+$/),
    });
    expect(lines.get("pool")).toEqual({
      status: "ok",
      check: "pool",
      detail: `${lv.pool} is running (autostart no)`,
    });
    expect(lines.get("pool space")?.detail).toMatch(
      new RegExp(
        `^[\\d.]+ GiB free in ${lv.pool}, (at least|less than) 63 GiB: a 3 GiB base image \\+ 2 nodes × 30 GiB disk \\(the default diskGiB\\) for examples/kvm-flatcar`,
      ),
    );
    // The harness gives /dev/kvm udev's group and mode, with libvirt-qemu in kvm.
    expect(lines.get("kvm")).toMatchObject({
      status: "ok",
      detail: expect.stringMatching(/^\/dev\/kvm \(\d+:\d+ 0660\) is open to libvirt-qemu$/),
    });
    expect(fails).toEqual(pulumiHere ? [] : ["pulumi"]);
    expect(report.exitCode).toBe(pulumiHere ? 0 : 1);
    // Aligned: status, check and detail each start in one column (the widest check is 11).
    const body = report.text.split("\n").filter((l) => l.startsWith("  "));
    expect(body).toHaveLength(report.checks.length + report.checks.filter((c) => c.fix).length);
    for (const line of body)
      expect(line).toMatch(/^ {2}(ok {2}|warn|FAIL| {4}) {2}[ \w]{11} {2}\S/);
    if (!pulumiHere)
      expect(body.slice(1, 3)).toEqual([
        "  FAIL  pulumi       the Pulumi CLI is not on PATH; it runs every minos program",
        `${" ".repeat(21)}fix: curl -fsSL https://get.pulumi.com | sh (https://www.pulumi.com/docs/install/)`,
      ]);
  });

  it("a program the driver runs missing from PATH FAILs, naming its Debian package", async () => {
    const { report, lines, fails } = await run(["--pool", lv.pool], pathWithout("genisoimage"));
    expect(lines.get("genisoimage")).toEqual({
      status: "FAIL",
      check: "genisoimage",
      detail: "not on PATH; the libvirt driver runs it (it builds cidata ISOs (first boot))",
      fix: "apt install genisoimage",
    });
    expect(lines.get("libvirtd")?.status).toBe("ok");
    expect(fails).toEqual(pulumiHere ? ["genisoimage"] : ["pulumi", "genisoimage"]);
    expect(report.exitCode).toBe(1);
  });

  it("without virsh, libvirtd and the pool are not asked", async () => {
    const { lines, report } = await run(["--pool", lv.pool], pathWithout("virsh"));
    expect(lines.get("virsh")?.fix).toBe("apt install libvirt-clients");
    expect(lines.get("libvirtd")).toMatchObject({
      status: "FAIL",
      detail: "not asked: virsh is missing",
    });
    expect(lines.get("pool")).toMatchObject({ status: "FAIL", fix: "see libvirtd above" });
    expect(report.exitCode).toBe(1);
  });

  it("a pool that does not exist FAILs with how to make one", async () => {
    const { lines, report } = await run(["--pool", "minos-doctor-no-such-pool"]);
    expect(lines.get("pool")).toMatchObject({
      status: "FAIL",
      detail: expect.stringMatching(
        /^no pool minos-doctor-no-such-pool at qemu:\/\/\/system: .*(not found|no storage pool)/i,
      ),
      fix: expect.stringContaining("virsh pool-define-as minos-doctor-no-such-pool dir"),
    });
    expect(lines.has("pool space")).toBe(false);
    expect(report.exitCode).toBe(1);
    // The default pool's fix is the whole command line.
    const defaults = await run([]);
    if (defaults.lines.get("pool")?.status === "FAIL")
      expect(defaults.lines.get("pool")?.fix).toContain(
        "pool-define-as default dir --target /var/lib/libvirt/images",
      );
  });

  it("a pool that is defined but not running FAILs with pool-start", async () => {
    const pool = `${lv.pool}-off`;
    execFileSync("virsh", [
      "--connect",
      lv.uri,
      "pool-define-as",
      pool,
      "dir",
      "--target",
      `${lv.poolDir}/off`,
    ]);
    try {
      const { lines, report } = await run(["--pool", pool]);
      expect(lines.get("pool")).toEqual({
        status: "FAIL",
        check: "pool",
        detail: `pool ${pool} is inactive`,
        fix: `virsh --connect qemu:///system pool-start ${pool} && virsh --connect qemu:///system pool-autostart ${pool}`,
      });
      expect(report.exitCode).toBe(1);
    } finally {
      execFileSync("virsh", ["--connect", lv.uri, "pool-undefine", pool]);
    }
  });

  it("an unreachable URI FAILs libvirtd with libvirt's reason, and asks no pool", async () => {
    const uri = "qemu+unix:///system?socket=/nonexistent";
    const { lines, report } = await run(["--uri", uri, "--pool", lv.pool]);
    expect(lines.get("libvirtd")).toMatchObject({
      status: "FAIL",
      detail: expect.stringMatching(
        /^no answer at qemu\+unix:\/\/\/system\?socket=\/nonexistent: Failed to connect socket to '\/nonexistent': No such file or directory$/,
      ),
      fix: expect.stringContaining("systemctl enable --now libvirtd"),
    });
    expect(lines.get("pool")).toMatchObject({
      status: "FAIL",
      detail: `not asked: no libvirtd at ${uri}`,
    });
    expect(report.exitCode).toBe(1);
  });
});
