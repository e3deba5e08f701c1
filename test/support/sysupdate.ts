import { execFile } from "node:child_process";
import { lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { haveTool } from "./system-tools.js";

/** Where install-test-tools.sh unpacks systemd 254 from bookworm-backports. */
const DIR = process.env.MINOS_SYSUPDATE_DIR ?? "/var/cache/minos-test-sysupdate";
const BINARY = join(DIR, "lib/systemd/systemd-sysupdate");

export const haveSysupdate = () => haveTool("systemd-sysupdate", BINARY);

/**
 * Runs the real systemd-sysupdate on a scratch root, as a node would run
 * `systemd-sysupdate --component=<c> update`: transfer files, os-release
 * (for `%w`) and targets all inside `root`. It runs its own systemd-pull,
 * from the same unpacked systemd. Asynchronous: the server it downloads
 * from may be this very process.
 */
export function sysupdate(
  root: string,
  component: string,
): Promise<{ code: number | null; output: string }> {
  const env = {
    ...process.env,
    LD_LIBRARY_PATH: join(DIR, "usr/lib/x86_64-linux-gnu/systemd"),
    SYSTEMD_PULL_PATH: join(DIR, "lib/systemd/systemd-pull"),
    SYSTEMD_LOG_COLOR: "0",
  };
  const args = [`--root=${root}`, `--component=${component}`, "update"];
  return new Promise((resolve) => {
    execFile(BINARY, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Files directly in a directory of the root, sorted. */
export function listDir(root: string, dir: string): string[] {
  return readdirSync(join(root, dir)).sort();
}

/** Reads a file of the scratch root the way the node would, following links (absolute ones inside the root). */
export function readInRoot(root: string, path: string): Buffer {
  let at = path;
  for (let hops = 0; hops < 8; hops++) {
    const full = join(root, at);
    if (!lstatSync(full).isSymbolicLink()) return readFileSync(full);
    const target = readlinkSync(full);
    at = isAbsolute(target) ? target : join(dirname(at), target);
  }
  throw new Error(`too many links at ${path}`);
}
