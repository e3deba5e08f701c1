import { execFile, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { IGNITION_BINARY } from "./system-tools.js";

/** Runs Debian's ignition-validate on a config; returns its exit code and output. */
export function ignitionValidate(config: string): { code: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "minos-ign-"));
  const file = join(dir, "config.ign");
  writeFileSync(file, config);
  const run = spawnSync("ignition-validate", [file], { encoding: "utf8" });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

/** What the real Ignition binary did to a scratch root. */
export interface IgnitionRun {
  root: string;
  /** Paths Ignition handed SELinux's `setfiles` to relabel, as on Fedora CoreOS. */
  relabeled: () => string[];
  code: number | null;
  log: string;
}

/**
 * Applies a config with the real Ignition binary, exactly as first boot's
 * fetch and files stages do, to a scratch root (or to `into`). SELinux relabeling is
 * stubbed (this host has no policy); everything else is Ignition's own.
 */
export async function ignitionApply(config: string, into?: string): Promise<IgnitionRun> {
  const work = mkdtempSync(join(tmpdir(), "minos-ign-root-"));
  // A root of the caller's (an OS's tree to boot), or an empty one.
  const root = into ?? join(work, "root");
  mkdirSync(join(root, "etc/selinux"), { recursive: true });
  // Ignition writes SSH keys as the user they belong to, who must be able to
  // reach the root, as on a real 0755 filesystem.
  chmodSync(work, 0o755);
  writeFileSync(join(root, "etc/selinux/config"), "SELINUX=disabled\nSELINUXTYPE=targeted\n");
  const bin = join(work, "bin");
  mkdirSync(bin);
  // Records what it is asked to relabel (the paths Ignition wrote, on stdin).
  const relabelLog = join(work, "relabeled");
  writeFileSync(join(bin, "setfiles"), `#!/bin/sh\ncat >>'${relabelLog}'\n`);
  const relabeled = () =>
    existsSync(relabelLog)
      ? readFileSync(relabelLog, "utf8")
          .split(/[\0\n]/)
          .filter(Boolean)
          .map((p) => (p.startsWith(root) ? p.slice(root.length) : p))
      : [];
  chmodSync(join(bin, "setfiles"), 0o755);
  const configFile = join(work, "config.ign");
  writeFileSync(configFile, config);

  let log = "";
  for (const stage of ["fetch", "files"]) {
    // Asynchronous: the sysext may be served by this very process.
    const run = await run_(
      IGNITION_BINARY,
      [
        "-platform",
        "file",
        "-stage",
        stage,
        "-root",
        root,
        "-config-cache",
        join(work, "cache.json"),
        "-state-file",
        join(work, "state"),
        "-log-to-stdout",
      ],
      { PATH: `${bin}:${process.env.PATH}`, IGNITION_CONFIG_FILE: configFile },
    );
    log += run.output;
    if (run.code !== 0) return { root, relabeled, code: run.code, log };
  }
  return { root, relabeled, code: 0, log };
}

async function run_(
  file: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      env: { ...process.env, ...env },
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof err.code === "number" ? err.code : 1,
      output: `${err.stdout ?? ""}${err.stderr ?? ""}`,
    };
  }
}
