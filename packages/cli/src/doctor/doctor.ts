import { MinosError } from "@minos/core/render";
import {
  DEFAULT_URI,
  isLocalUri,
  LIBVIRT_URI_ALLOWED,
  validateLibvirtUri,
} from "@minos/libvirt/host";
import { CliError, parseCommand } from "../cli-error.js";
import { optionalPeer } from "../optional-peer.js";
import type { CheckLine } from "./checks.js";
import {
  kvmCheck,
  libvirtCheck,
  nodeCheck,
  poolChecks,
  pulumiCheck,
  toolChecks,
  uefiCheck,
} from "./checks.js";
import { HostProbe } from "./host-probe.js";

export const DOCTOR_HELP = `Usage: minos doctor [--uri URI] [--pool NAME]

Checks that this machine can build minos clusters on KVM: the programs the
libvirt driver runs, libvirtd at URI, /dev/kvm for the account QEMU runs as,
the storage pool and its free space, arm64 UEFI firmware, Node and the
Pulumi CLI. One line per check (ok, warn, FAIL), and the fix under each.

Options:
  --uri URI     libvirt connection (default ${DEFAULT_URI})
  --pool NAME   storage pool the cluster uses (default default)
  -h, --help    show this help

Exit status: 0 when nothing FAILs (warnings allowed), 1 when something
FAILs, 2 for bad usage.
`;

/** What doctor found: each check's line, the report as printed, and the exit status. */
export interface DoctorReport {
  checks: CheckLine[];
  text: string;
  /** 0 when nothing FAILs, 1 otherwise. */
  exitCode: 0 | 1;
}

/** A storage pool name virsh takes as one argument. */
const POOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

/**
 * `minos doctor`: checks this machine as a KVM host for minos. `env`
 * (default the process's) gives the PATH programs are looked up and run
 * through.
 */
export async function doctor(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<DoctorReport | "help"> {
  const { values, positionals } = parseCommand(argv, {
    uri: { type: "string" },
    pool: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  if (positionals.length > 0)
    throw new CliError(`doctor takes no arguments, only options; got ${positionals.join(" ")}`);
  const uri = values.uri ?? DEFAULT_URI;
  const pool = values.pool ?? "default";
  try {
    validateLibvirtUri(uri);
  } catch {
    throw new MinosError("--uri", uri, LIBVIRT_URI_ALLOWED);
  }
  if (!POOL_NAME.test(pool))
    throw new MinosError("--pool", pool, "use a libvirt pool name: letters, digits and _.+-");
  const local = isLocalUri(uri);
  const host = new HostProbe(env);
  // Loaded here only: the KVM platform's package loads the Pulumi SDK.
  const { DEFAULT_AARCH64_UEFI } = await optionalPeer(
    "@minos/kvm",
    () => import("@minos/kvm"),
    "minos doctor",
  );
  const [pulumi, libvirt, kvm] = await Promise.all([
    pulumiCheck(host),
    libvirtCheck(host, uri, local),
    kvmCheck(host, uri, local),
  ]);
  const checks: CheckLine[] = [
    nodeCheck(),
    pulumi,
    ...toolChecks(host),
    libvirt,
    ...(await poolChecks(host, uri, pool, libvirt.status === "ok")),
    kvm,
    uefiCheck(local, DEFAULT_AARCH64_UEFI),
  ];
  const failed = checks.some((c) => c.status === "FAIL");
  return {
    checks,
    text: formatReport(uri, pool, checks),
    exitCode: failed ? 1 : 0,
  };
}

/** The report: aligned columns, each fix under its line, a summary last. */
export function formatReport(uri: string, pool: string, checks: CheckLine[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  const lines = checks.flatMap((c) => [
    `  ${c.status.padEnd(4)}  ${c.check.padEnd(width)}  ${c.detail}`,
    ...(c.fix ? [`  ${"".padEnd(4)}  ${"".padEnd(width)}  fix: ${c.fix}`] : []),
  ]);
  const count = (s: CheckLine["status"]) => checks.filter((c) => c.status === s).length;
  const fails = count("FAIL");
  const warns = count("warn");
  const summary =
    fails > 0
      ? `${fails} FAIL, ${warns} warn: fix the FAIL lines, then run minos doctor again.`
      : warns > 0
        ? `no FAIL, ${warns} warn: this host can run minos on KVM; the warnings say what is slow or missing.`
        : "all ok: this host can run minos on KVM.";
  return `minos doctor: libvirt ${uri}, pool ${pool}\n\n${lines.join("\n")}\n\n${summary}\n`;
}
