import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** What a program said, or that it could not run. */
export interface Ran {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** `ENOENT` when the program is not on PATH. */
  code?: number | string;
}

/**
 * The machine as doctor sees it: programs found and run through `env.PATH`
 * (a check run with a PATH that lacks a program sees it missing, as the
 * driver would).
 */
export class HostProbe {
  constructor(readonly env: NodeJS.ProcessEnv) {}

  /** The program's full path on PATH, or undefined. */
  which(command: string): string | undefined {
    for (const dir of (this.env.PATH ?? "").split(delimiter)) {
      if (!dir) continue;
      const path = join(dir, command);
      try {
        if (!statSync(path).isFile()) continue;
        accessSync(path, constants.X_OK);
        return path;
      } catch {
        // Not here.
      }
    }
    return undefined;
  }

  /** Runs a program found on PATH; never throws. */
  run(command: string, args: string[], timeoutMs = 30_000): Promise<Ran> {
    return new Promise((resolve) =>
      execFile(
        command,
        args,
        { env: this.env, timeout: timeoutMs, encoding: "utf8" },
        (error, stdout, stderr) =>
          resolve({
            ok: !error,
            stdout,
            stderr: stderr || (error?.message ?? ""),
            ...(error && { code: (error as NodeJS.ErrnoException).code ?? undefined }),
          }),
      ),
    );
  }
}

/** The last `error:` line virsh printed (its most specific), or its last line. */
export function virshReason(ran: Ran): string {
  const lines = ran.stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => l.startsWith("error:"));
  return (errors.at(-1) ?? lines.at(-1) ?? `exit ${ran.code}`).replace(/^error:\s*/, "");
}

/** `Key: value` lines (virsh's `pool-info`, `version`) as a record. */
export function fields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^\s*([^:]+?):\s*(.*?)\s*$/.exec(line);
    if (m) out[m[1] as string] = m[2] as string;
  }
  return out;
}

/** `user = "name"` from qemu.conf, the account QEMU runs as; undefined when unset. */
export function qemuUserFrom(qemuConf: string): string | undefined {
  return /^\s*user\s*=\s*"([^"]+)"/m.exec(qemuConf)?.[1];
}

/** A device's owner, group and mode, and whether an account with these ids may read and write it. */
export function canReadWrite(
  device: { uid: number; gid: number; mode: number },
  account: { uid: number; gids: number[] },
): boolean {
  if (account.uid === 0) return true;
  const rw = (shift: number) => ((device.mode >> shift) & 0o6) === 0o6;
  if (account.uid === device.uid) return rw(6);
  if (account.gids.includes(device.gid)) return rw(3);
  return rw(0);
}
