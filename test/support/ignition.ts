import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  code: number | null;
  log: string;
}

/**
 * Applies a config with the real Ignition binary, exactly as first boot's
 * fetch and files stages do, to a scratch root. SELinux relabeling is
 * stubbed (this host has no policy); everything else is Ignition's own.
 */
export function ignitionApply(config: string): IgnitionRun {
  const work = mkdtempSync(join(tmpdir(), "minos-ign-root-"));
  const root = join(work, "root");
  mkdirSync(join(root, "etc/selinux"), { recursive: true });
  writeFileSync(join(root, "etc/selinux/config"), "SELINUX=disabled\nSELINUXTYPE=targeted\n");
  const bin = join(work, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "setfiles"), "#!/bin/sh\ncat >/dev/null\n");
  chmodSync(join(bin, "setfiles"), 0o755);
  const configFile = join(work, "config.ign");
  writeFileSync(configFile, config);

  let log = "";
  for (const stage of ["fetch", "files"]) {
    const run = spawnSync(
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
      {
        encoding: "utf8",
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH}`,
          IGNITION_CONFIG_FILE: configFile,
        },
        timeout: 60_000,
      },
    );
    log += `${run.stdout}${run.stderr}`;
    if (run.status !== 0) return { root, code: run.status, log };
  }
  return { root, code: 0, log };
}
