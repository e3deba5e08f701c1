import { statSync } from "node:fs";
import { virsh, virshIfExists } from "./virsh.js";
import { backingIn } from "./volume-content.js";

/** Creates a raw volume holding exactly a local file's bytes. */
export async function uploadVolume(
  uri: string,
  pool: string,
  name: string,
  file: string,
): Promise<string> {
  await virsh(uri, ["vol-create-as", pool, name, String(statSync(file).size), "--format", "raw"]);
  try {
    await virsh(uri, ["vol-upload", "--pool", pool, name, file]);
  } catch (e) {
    await virshIfExists(uri, ["vol-delete", "--pool", pool, name]);
    throw e;
  }
  return volumePath(uri, pool, name);
}

/** The host path of a volume. */
export async function volumePath(uri: string, pool: string, name: string): Promise<string> {
  return (await virsh(uri, ["vol-path", "--pool", pool, name])).trim();
}

/** Whether a volume exists. */
export async function volumeExists(uri: string, pool: string, name: string): Promise<boolean> {
  return (await virshIfExists(uri, ["vol-info", "--pool", pool, name])) !== undefined;
}

/** Deletes a volume; an already-deleted one is fine. */
export async function deleteVolume(uri: string, pool: string, name: string): Promise<void> {
  await virshIfExists(uri, ["vol-delete", "--pool", pool, name]);
}

/** Names of a pool's volumes (`vol-list` prints a table; older virsh has no --name). */
export async function volumeNames(uri: string, pool: string): Promise<string[]> {
  const lines = (await virsh(uri, ["vol-list", "--pool", pool])).split("\n").slice(2);
  return lines.map((l) => l.trim().split(/\s+/)[0] ?? "").filter(Boolean);
}

/** Volumes of a pool whose backing file is `path`. */
export async function volumesBackedBy(uri: string, pool: string, path: string): Promise<string[]> {
  const names = await volumeNames(uri, pool);
  const users: string[] = [];
  for (const name of names) {
    // One deleted meanwhile is backed by nothing.
    const xml = await virshIfExists(uri, ["vol-dumpxml", "--pool", pool, name]);
    if (xml !== undefined && backingIn(xml) === path) users.push(name);
  }
  return users;
}
