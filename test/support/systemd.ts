import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Runs `systemd-analyze verify` on units inside a root that Ignition wrote,
 * with this host's systemd units beside them. What the node OS itself ships
 * (binaries and units not on this host) is declared by the caller and
 * stubbed, so a reference to anything else fails verification.
 */
export function systemdVerify(
  root: string,
  units: string[],
  provided: { binaries: string[]; units: string[] },
): { code: number | null; output: string } {
  const systemDir = join(root, "usr/lib/systemd/system");
  mkdirSync(systemDir, { recursive: true });
  cpSync("/usr/lib/systemd/system", systemDir, { recursive: true, dereference: false });
  for (const binary of provided.binaries) {
    const path = join(root, binary);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, "#!/bin/sh\n");
    chmodSync(path, 0o755);
  }
  for (const unit of provided.units) {
    const path = join(systemDir, unit);
    if (!existsSync(path))
      writeFileSync(
        path,
        `[Unit]\nDescription=${unit} (provided by the node OS)\n\n[Service]\nExecStart=/bin/true\n`,
      );
  }
  mkdirSync(join(root, "bin"), { recursive: true });
  if (!existsSync(join(root, "bin/true"))) {
    writeFileSync(join(root, "bin/true"), "#!/bin/sh\n");
    chmodSync(join(root, "bin/true"), 0o755);
  }
  const run = spawnSync(
    "systemd-analyze",
    ["verify", "--man=no", `--root=${root}`, ...units.map((u) => `/etc/systemd/system/${u}`)],
    {
      encoding: "utf8",
    },
  );
  return { code: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}
