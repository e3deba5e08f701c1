import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DEFAULT_DISK_GIB, MinosError } from "@minos/core/render";
import { describe, expect, it } from "vitest";
import { CliError } from "../src/cli-error.js";
import { BASE_IMAGE_GIB, EXAMPLE_NODES, spaceCheck } from "../src/doctor/checks.js";
import { DOCTOR_HELP, doctor, formatReport } from "../src/doctor/doctor.js";
import { canReadWrite, qemuUserFrom } from "../src/doctor/host-probe.js";

const MAIN = new URL("../bin/minos.js", import.meta.url).pathname;
const GIB = 1024 ** 3;

describe("minos doctor's usage", () => {
  it("--help is the usage; bad options are refused naming the option", async () => {
    expect(await doctor(["--help"])).toBe("help");
    expect(DOCTOR_HELP).toMatch(/^Usage: minos doctor \[--uri URI\] \[--pool NAME\]\n/);
    await expect(doctor(["--uri", "http://example.com/"])).rejects.toBeInstanceOf(MinosError);
    await expect(doctor(["--uri", "http://example.com/"])).rejects.toThrow(
      /invalid --uri: "http:\/\/example.com\/"; use a libvirt URI for QEMU/,
    );
    await expect(doctor(["--pool", "a/b"])).rejects.toThrow(
      /invalid --pool: "a\/b"; use a libvirt pool name/,
    );
    await expect(doctor(["--pol", "x"])).rejects.toThrow(/did you mean --pool\?/);
    await expect(doctor(["now"])).rejects.toThrow(CliError);
  });

  it("the command exits 2 for bad usage and 0 for --help", async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [MAIN, "doctor", ...args]).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const help = await run(["--help"]);
    expect(help).toMatchObject({ code: 0, stdout: DOCTOR_HELP });
    const bad = await run(["--pool", "a/b"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^minos: invalid --pool: "a\/b"/);
  });
});

describe("what doctor reads", () => {
  it("the pool's room: FAIL below a base image, warn below the default example, ok above", () => {
    const need = BASE_IMAGE_GIB + EXAMPLE_NODES * DEFAULT_DISK_GIB;
    expect(need).toBe(63);
    expect(spaceCheck("qemu:///system", "default", 2 * GIB)).toMatchObject({
      status: "FAIL",
      detail: "2.0 GiB free in default; a base image alone takes up to 3 GiB",
    });
    expect(spaceCheck("qemu:///system", "default", 40 * GIB)).toMatchObject({
      status: "warn",
      detail:
        "40.0 GiB free in default, less than 63 GiB: a 3 GiB base image + 2 nodes × 30 GiB disk (the default diskGiB) for examples/kvm-flatcar; disks are thin qcow2 overlays, so nodes start but may fill it",
    });
    expect(spaceCheck("qemu:///system", "default", 63 * GIB).status).toBe("ok");
    expect(spaceCheck("qemu:///system", "default", Number.NaN).status).toBe("warn");
  });

  it("QEMU's account from qemu.conf, and whether it may open /dev/kvm", () => {
    expect(qemuUserFrom('#user = "root"\nuser = "qemu"\ngroup = "qemu"\n')).toBe("qemu");
    expect(qemuUserFrom('#user = "root"\n')).toBeUndefined();
    const kvm = { uid: 0, gid: 994, mode: 0o20660 };
    expect(canReadWrite(kvm, { uid: 995, gids: [995, 994] })).toBe(true);
    expect(canReadWrite(kvm, { uid: 995, gids: [995] })).toBe(false);
    expect(canReadWrite({ ...kvm, mode: 0o20666 }, { uid: 995, gids: [995] })).toBe(true);
    expect(canReadWrite({ ...kvm, mode: 0o20600 }, { uid: 0, gids: [0] })).toBe(true);
  });

  it("the summary says whether the host can run minos", () => {
    const ok = { status: "ok" as const, check: "node", detail: "v22" };
    const warn = { status: "warn" as const, check: "kvm", detail: "slow", fix: "adduser" };
    expect(formatReport("qemu:///system", "default", [ok])).toBe(
      "minos doctor: libvirt qemu:///system, pool default\n\n  ok    node  v22\n\nall ok: this host can run minos on KVM.\n",
    );
    expect(formatReport("qemu:///system", "default", [ok, warn])).toContain(
      "  warn  kvm   slow\n              fix: adduser\n\nno FAIL, 1 warn: this host can run minos on KVM",
    );
  });
});
