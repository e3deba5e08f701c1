import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Runs `fn` with a private temporary directory (mode 0700, for secret
 * payloads) and removes it afterwards, whatever happens. Its name holds the
 * process id, so a process can tell its own leftovers from another's.
 */
export async function withTempDir<T>(
  fn: (dir: string, write: (name: string, data: string | Uint8Array) => string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `minos-libvirt-${process.pid}-`));
  const write = (name: string, data: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, data, { mode: 0o600 });
    return path;
  };
  try {
    return await fn(dir, write);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
