import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Compression } from "./download.js";
import { log } from "./log.js";
import { alreadyExists, leftAlone, OWNER_NAMESPACE } from "./ownership.js";
import { withTempDir } from "./temp-files.js";
import { virsh } from "./virsh.js";
import { backingOf, storedSize, volumeSha256 } from "./volume-content.js";
import { deleteVolume, uploadVolume, volumeExists } from "./volumes.js";

/** What minos makes volumes for. */
export type VolumeKind = "disk" | "configDisk" | "firstBoot" | "baseImage";

/**
 * A volume's ownership record, kept as JSON in a small volume of its own
 * next to it, `<volume>.minos-owner` (see `recordName`).
 *
 * Why a side record: a libvirt volume has no `<metadata>` (its XML is name,
 * key, capacity, target path, format, permissions, timestamps; nothing a
 * client may add), and the volume's bytes belong to the guest or the image,
 * so a mark cannot go inside it either. Naming alone (a `minos-` prefix, say)
 * is not proof: anyone can make a volume of any name, and names like
 * `node-0.qcow2` are chosen by the user. So minos claims a volume with a
 * record it writes right after creating it, in the same pool (any pool type,
 * local or remote, through the same `virsh` calls), under a name derived from
 * the volume's.
 *
 * A record alone could outlive its volume (deleted behind minos's back, then
 * made again by someone else under the same name), so it also pins what the
 * volume must still be: a disk's backing file, a small volume's SHA-256
 * (config ISOs, first-boot payloads), a base image's stored SHA-256 and size.
 * A volume is minos's, and this resource's, only when its record names this
 * resource's owner id (from state) and the volume still matches the record.
 */
export interface VolumeRecord {
  /** Always `OWNER_NAMESPACE`. */
  minos: string;
  kind: VolumeKind;
  /** The volume this record is for. */
  volume: string;
  /** The owner id of the resource that made it; base images, shared by content, have none. */
  owner?: string;
  /** SHA-256 of the volume's bytes as minos stored them. */
  sha256?: string;
  /** Its size in bytes as minos stored it. */
  bytes?: number;
  /** A disk's backing file. */
  backing?: string;
  /** A base image's origin: the URL, how it was compressed, the digest it was verified against. */
  source?: { url: string; compression: Compression; digest?: string };
}

/** The name of a volume's ownership record. */
export const recordName = (volume: string) => `${volume}.minos-owner`;

/** A volume's record, `undefined` when it has none, `"invalid"` when what has the name is not a minos record. */
export async function readRecord(
  uri: string,
  pool: string,
  volume: string,
): Promise<VolumeRecord | "invalid" | undefined> {
  if (!(await volumeExists(uri, pool, recordName(volume)))) return undefined;
  const text = await withTempDir(async (dir) => {
    const file = join(dir, "record");
    await virsh(uri, ["vol-download", "--pool", pool, recordName(volume), file]);
    return readFileSync(file)
      .subarray(0, 64 * 1024)
      .toString("utf8");
  });
  try {
    // Pools that round sizes up (logical volumes) pad with zeros.
    const record = JSON.parse(text.replace(/\0+$/, "")) as VolumeRecord;
    return record?.minos === OWNER_NAMESPACE && record.volume === volume ? record : "invalid";
  } catch {
    return "invalid";
  }
}

/** Writes a volume's record; fails if a volume of the record's name exists. */
export async function writeRecord(uri: string, pool: string, record: VolumeRecord): Promise<void> {
  await withTempDir(async (_, write) => {
    await uploadVolume(
      uri,
      pool,
      recordName(record.volume),
      write("record", `${JSON.stringify(record)}\n`),
    );
  });
}

/** What minos expects of a volume it made. */
export interface Expected {
  kind: VolumeKind;
  /** The owner id in state; `undefined` (state from before records) never matches. Base images have none. */
  owner: string | undefined;
  /** The content it must still have, when known from state. */
  sha256?: string;
  /** A base image's origin: its verified digest (`sha256:<hex>`), or for an unverified one its URL. */
  source?: { url: string; compression: Compression; digest?: string };
  /**
   * How the recorded content is checked: `hash` streams the volume and
   * compares SHA-256 (the default; small volumes, and a base image before
   * reuse); `size` compares the stored size only (a base image on read and
   * delete, where hashing gigabytes would buy nothing).
   */
  content?: "hash" | "size";
}

/** A volume's standing: gone, this resource's, or something minos must not touch (and why). */
export type Standing =
  | { state: "absent"; record: VolumeRecord | "invalid" | undefined }
  | { state: "ours"; record: VolumeRecord }
  | { state: "other"; why: string };

/** Checks a volume against its record and what state expects of it. */
export async function standing(
  uri: string,
  pool: string,
  volume: string,
  expected: Expected,
): Promise<Standing> {
  const exists = await volumeExists(uri, pool, volume);
  const record = await readRecord(uri, pool, volume);
  if (!exists) return { state: "absent", record };
  const why = await mismatch(uri, pool, volume, record, expected);
  return why === undefined
    ? { state: "ours", record: record as VolumeRecord }
    : { state: "other", why };
}

async function mismatch(
  uri: string,
  pool: string,
  volume: string,
  record: VolumeRecord | "invalid" | undefined,
  expected: Expected,
): Promise<string | undefined> {
  if (record === undefined) return `it has no minos ownership record ${recordName(volume)}`;
  if (record === "invalid")
    return `${recordName(volume)} next to it is not an ownership record minos wrote`;
  if (record.kind !== expected.kind)
    return `its minos record says it is a ${record.kind} volume, not a ${expected.kind} one`;
  if (
    expected.kind !== "baseImage" &&
    (record.owner === undefined || record.owner !== expected.owner)
  )
    return expected.owner === undefined
      ? `its minos record names owner ${record.owner}, and this resource's state records none`
      : `its minos record names owner ${record.owner}, this resource's is ${expected.owner}`;
  if (expected.source) {
    const want = expected.source;
    const got = record.source;
    if (
      want.digest !== undefined
        ? got?.digest !== want.digest
        : got?.url !== want.url || got?.digest !== undefined
    )
      return `its minos record is for ${got?.digest ?? got?.url ?? "nothing"}, not ${want.digest ?? want.url}`;
    if (got?.compression !== want.compression)
      return `its minos record is for ${got?.compression} compression, not ${want.compression}`;
  }
  if (record.backing !== undefined) {
    const backing = await backingOf(uri, pool, volume);
    if (backing !== record.backing)
      return `it is backed by ${backing ?? "nothing"}, not ${record.backing} as when minos made it`;
  }
  if (record.sha256 !== undefined && (expected.content ?? "hash") === "hash") {
    const now = await volumeSha256(uri, pool, volume);
    if (
      now.sha256 !== record.sha256 ||
      (expected.sha256 !== undefined && now.sha256 !== expected.sha256)
    )
      return `its content (sha256 ${now.sha256}) is not what minos stored (${record.sha256})`;
  }
  if (record.bytes !== undefined && expected.content === "size") {
    const size = await storedSize(uri, pool, volume);
    if (size !== record.bytes)
      return `it holds ${size} bytes, not the ${record.bytes} minos stored`;
  }
  return undefined;
}

/**
 * Create's check before it makes `volume`: refuses a taken name (or a taken
 * record name), naming it; clears a record minos left for a volume that is
 * gone.
 */
export async function refuseTaken(uri: string, pool: string, volume: string): Promise<void> {
  const record = await readRecord(uri, pool, volume);
  if (await volumeExists(uri, pool, volume)) {
    const why =
      record === undefined
        ? `it has no minos ownership record ${recordName(volume)}`
        : record === "invalid"
          ? `${recordName(volume)} next to it is not an ownership record minos wrote`
          : `its minos record names ${record.owner ? `owner ${record.owner}, another resource` : `a ${record.kind} volume`}`;
    throw alreadyExists("volume", `${pool}/${volume}`, uri, why);
  }
  if (record === "invalid")
    throw alreadyExists(
      "volume",
      `${pool}/${recordName(volume)}`,
      uri,
      `minos keeps the ownership record of ${volume} under that name, and this is not one`,
    );
  // A record whose volume is gone: minos's own leftover (it deletes volumes first).
  if (record !== undefined) await deleteVolume(uri, pool, recordName(volume));
}

/**
 * Makes a volume minos owns: refuses a taken name, runs `make` (which must
 * create `record.volume` exclusively, as `vol-create-as` does, and may add
 * facts about what it made), then writes the record. If the record cannot be
 * written, the volume just made is deleted.
 */
export async function createOwned(
  uri: string,
  pool: string,
  record: VolumeRecord,
  make: () => Promise<Partial<VolumeRecord> | undefined>,
): Promise<VolumeRecord> {
  await refuseTaken(uri, pool, record.volume);
  const facts = await make();
  const full = { ...record, ...facts };
  try {
    await writeRecord(uri, pool, full);
  } catch (e) {
    await deleteVolume(uri, pool, record.volume);
    throw e;
  }
  return full;
}

/** Whether a record is the one this resource wrote (for a base image: for the same source). */
function claims(record: VolumeRecord, expected: Expected): boolean {
  if (record.kind !== expected.kind) return false;
  if (expected.kind !== "baseImage")
    return record.owner !== undefined && record.owner === expected.owner;
  const want = expected.source;
  return (
    want !== undefined &&
    record.source?.compression === want.compression &&
    (want.digest !== undefined
      ? record.source.digest === want.digest
      : record.source.url === want.url)
  );
}

/**
 * Deletes a volume this resource made, then its record. One that is gone is
 * fine; one that is not this resource's (no record, another's, or changed
 * since) is left as it is, with a warning. A record of this resource's goes
 * either way: the volume it claimed is gone or no longer the one it claimed.
 */
export async function deleteOwned(
  uri: string,
  pool: string,
  volume: string,
  expected: Expected,
): Promise<void> {
  const found = await standing(uri, pool, volume, expected);
  if (found.state === "other") log.warn(leftAlone("volume", `${pool}/${volume}`, uri, found.why));
  if (found.state === "ours") await deleteVolume(uri, pool, volume);
  const record = found.state === "other" ? await readRecord(uri, pool, volume) : found.record;
  if (record !== undefined && record !== "invalid" && claims(record, expected))
    await deleteVolume(uri, pool, recordName(volume));
}
