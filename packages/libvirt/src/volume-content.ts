import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, constants, createReadStream, openSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { withChild } from "./child.js";
import { spawnFailure } from "./host-tools.js";
import { withTempDir } from "./temp-files.js";
import { validateLibvirtUri } from "./uri.js";
import { virsh } from "./virsh.js";
import { fromXml } from "./xml.js";

// What a volume holds, read back from libvirt (local or remote alike): its
// bytes' SHA-256, its stored size, its backing file. Ownership records pin
// them, so a volume made again behind minos's back is told apart.

/**
 * SHA-256 and size of a volume's bytes, streamed out of libvirt (local or
 * remote alike) through a FIFO: `vol-download` wants a path it can open, and
 * Node's pipes to a child are sockets, which cannot be opened by path.
 */
export async function volumeSha256(
  uri: string,
  pool: string,
  volume: string,
): Promise<{ sha256: string; bytes: number }> {
  validateLibvirtUri(uri);
  return withTempDir(async (dir) => {
    const fifo = join(dir, "volume");
    await promisify(execFile)("mkfifo", ["-m", "600", fifo]).catch((e: unknown) => {
      throw spawnFailure("mkfifo", e);
    });
    const hash = createHash("sha256");
    let bytes = 0;
    // If virsh ends without opening the FIFO, our reader would wait forever
    // in open(): open it once for writing, which lets the reader see the end.
    const release = () => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader waiting.
      }
    };
    await withChild(
      "virsh",
      ["--connect", uri, "vol-download", "--pool", pool, volume, fifo],
      { stdio: ["ignore", "ignore", "pipe"] },
      async (_, succeeded) => {
        const read = (async () => {
          for await (const chunk of createReadStream(fifo)) {
            hash.update(chunk as Buffer);
            bytes += (chunk as Buffer).length;
          }
        })();
        await Promise.all([read, succeeded.finally(release)]);
      },
    );
    return { sha256: hash.digest("hex"), bytes };
  });
}

/** A volume's size as stored (its file's size; for qcow2 not the virtual capacity). */
export async function storedSize(
  uri: string,
  pool: string,
  volume: string,
): Promise<number | undefined> {
  const xml = await virsh(uri, ["vol-dumpxml", "--pool", pool, volume]);
  const info = fromXml<{ volume?: [{ physical?: number | { "#text"?: number } }] }>(xml)
    .volume?.[0];
  const physical = info?.physical;
  const value = typeof physical === "object" ? physical["#text"] : physical;
  return value === undefined ? undefined : Number(value);
}

/** The backing file libvirt reports for a volume. */
export async function backingOf(uri: string, pool: string, volume: string) {
  return backingIn(await virsh(uri, ["vol-dumpxml", "--pool", pool, volume]));
}

/** The backing file a volume's XML (`vol-dumpxml`) names, if any. */
export function backingIn(xml: string): string | undefined {
  return fromXml<{ volume?: [{ backingStore?: { path?: string } }] }>(xml).volume?.[0]?.backingStore
    ?.path;
}
