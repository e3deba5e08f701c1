import { execFile } from "node:child_process";
import { spawnFailure } from "./host-tools.js";
import { validateLibvirtUri } from "./uri.js";

/** The libvirt connection minos uses unless told otherwise. */
export const DEFAULT_URI = "qemu:///system";

/** A virsh command that failed: the command line and what virsh said. */
export class VirshError extends Error {
  override readonly name = "VirshError";
  constructor(
    readonly command: string,
    readonly stderr: string,
    readonly code: number | string | undefined,
  ) {
    super(`minos: \`${command}\` failed (${code}): ${stderr.trim() || "no output"}`);
  }

  /** True when virsh reports the object does not exist. */
  get notFound(): boolean {
    return /not found|no (storage vol|network|domain|storage pool) with matching|failed to get (domain|network|vol)/i.test(
      this.stderr,
    );
  }
}

/**
 * Runs `virsh --connect <uri> <args>`; resolves with stdout, rejects with a
 * VirshError, or a MissingHostToolError when virsh is not installed. A URI
 * `validateLibvirtUri` refuses is refused here too, before virsh runs.
 */
export function virsh(uri: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    validateLibvirtUri(uri);
    execFile(
      "virsh",
      ["--connect", uri, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") {
          reject(spawnFailure("virsh", error));
        } else if (error) {
          const code = (error as NodeJS.ErrnoException).code ?? (error as { code?: number }).code;
          reject(
            new VirshError(
              `virsh --connect ${uri} ${args.join(" ")}`,
              `${stderr || error.message}`,
              code,
            ),
          );
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

/** Like `virsh`, but resolves `undefined` when the object is already gone. */
export async function virshIfExists(uri: string, args: string[]): Promise<string | undefined> {
  try {
    return await virsh(uri, args);
  } catch (e) {
    if (e instanceof VirshError && e.notFound) return undefined;
    throw e;
  }
}
