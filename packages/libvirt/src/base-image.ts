import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename, join } from "node:path";
import { diffProperties } from "@minos/provider-kit";
import type * as pulumi from "@pulumi/pulumi";
import type { DigestSpec } from "./digest.js";
import { checkDigest, digestFromList } from "./digest.js";
import type { Compression } from "./download.js";
import { download } from "./download.js";
import { log } from "./log.js";
import { NotOwnedError, OWNER_NAMESPACE } from "./ownership.js";
import { LibvirtResource } from "./shim.js";
import { withTempDir } from "./temp-files.js";
import { validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI, virsh } from "./virsh.js";
import { createOwned, deleteOwned, recordName, standing } from "./volume-records.js";
import { uploadVolume, volumeExists, volumePath, volumesBackedBy } from "./volumes.js";

/** Inputs of a base image, plain. */
export interface BaseImageInputs {
  uri: string;
  pool: string;
  url: string;
  digest: DigestSpec;
  format: "qcow2" | "raw";
  compression: Compression;
}

/** Outputs: the volume it landed in. */
export interface BaseImageOutputs extends BaseImageInputs {
  volume: string;
  path: string;
  /** The verified digest (`<algorithm>:<hex>`), or `unverified`. */
  verified: string;
}

async function expectedDigest(
  d: DigestSpec,
  url: string,
): Promise<{ algorithm?: "sha256" | "sha512"; value?: string }> {
  if ("insecureSkipVerify" in d) return {};
  if ("value" in d) return { algorithm: d.algorithm, value: checkDigest(d.algorithm, d.value) };
  const response = await fetch(d.url);
  if (!response.ok)
    throw new Error(`minos: GET ${d.url} answered ${response.status}; cannot verify ${url}`);
  const value = digestFromList(await response.text(), basename(new URL(url).pathname), d.algorithm);
  if (!value)
    throw new Error(
      `minos: no ${d.algorithm} digest for ${basename(new URL(url).pathname)} in ${d.url}`,
    );
  return { algorithm: d.algorithm, value };
}

/**
 * The volume a base image is kept in, named after what decides its bytes:
 * the verified digest of the published file (its first 128 bits) and how it
 * is decompressed, or, for an unverified image, a hash of its full URL. Two
 * URLs that end in the same file name (two releases' `metal-amd64.raw.xz`,
 * two schematics) never share a volume unless a verified digest says they
 * are the same file. The record next to the volume holds the full digest or
 * URL, checked before the volume is reused.
 */
export function baseImageVolume(
  url: string,
  digest: { algorithm?: "sha256" | "sha512"; value?: string },
  format: "qcow2" | "raw",
  compression: Compression,
): string {
  const key = digest.value
    ? `${digest.algorithm}-${digest.value.slice(0, 32)}`
    : `url-${createHash("sha256").update(url).digest("hex").slice(0, 32)}`;
  return `minos-base-${key}${compression === "none" ? "" : `-${compression}`}.${format}`;
}

async function fileSha256(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** What a base image's record must say: where it came from. */
function expectedOf(
  props: Pick<BaseImageInputs, "url" | "compression">,
  verified: string,
  content: "hash" | "size",
) {
  return {
    kind: "baseImage" as const,
    owner: undefined,
    source: {
      url: props.url,
      compression: props.compression,
      ...(verified !== "unverified" && { digest: verified }),
    },
    content,
  };
}

/**
 * Downloads, verifies, decompresses and uploads an OS image into a pool.
 * Volumes are keyed by digest (see `baseImageVolume`), so clusters asking
 * for the same image share one copy; deleting keeps a volume that other
 * disks still build on.
 *
 * minos claims each base image with an ownership record (see
 * `VolumeRecord`): its origin, and the SHA-256 and size of the bytes it
 * stored. A volume found under the key is reused only if its record is a
 * minos base image record for the same origin and the volume still hashes
 * to what minos stored; otherwise the create fails and the volume is left
 * alone.
 */
export const baseImageProvider = {
  async create(inputs: BaseImageInputs) {
    const { uri, pool } = inputs;
    validateLibvirtUri(uri);
    const expected = await expectedDigest(inputs.digest, inputs.url);
    const volume = baseImageVolume(inputs.url, expected, inputs.format, inputs.compression);
    const verified = expected.value ? `${expected.algorithm}:${expected.value}` : "unverified";
    if (await volumeExists(uri, pool, volume)) {
      const found = await standing(uri, pool, volume, expectedOf(inputs, verified, "hash"));
      if (found.state === "other")
        throw new NotOwnedError(
          "volume",
          `${pool}/${volume}`,
          `minos: volume "${pool}/${volume}" on ${uri} is where minos keeps ${inputs.url}, but it is not a base image minos stored (${found.why}); minos leaves it untouched and does not use it. If it is a stale copy, remove it (and ${recordName(volume)}) to download the image again.`,
        );
      log.info(`${inputs.url}: already in pool ${pool} as ${volume}, checked`);
      return {
        id: volume,
        outs: { ...inputs, volume, path: await volumePath(uri, pool, volume), verified },
      };
    }
    const path = await withTempDir(async (dir) => {
      const file = join(dir, "image");
      const got = await download(inputs.url, file, expected.algorithm, inputs.compression, (p) =>
        log.info(
          `${inputs.url}: ${(p.bytes / 2 ** 20).toFixed(1)} MiB${p.total ? ` of ${(p.total / 2 ** 20).toFixed(1)} (${Math.round((100 * p.bytes) / p.total)}%)` : ""} in ${p.seconds.toFixed(1)} s`,
        ),
      );
      if (expected.value && got.digest !== expected.value) {
        throw new Error(
          `minos: ${inputs.url} has ${expected.algorithm} ${got.digest}, expected ${expected.value}; nothing was stored`,
        );
      }
      const stored = await fileSha256(file);
      await createOwned(
        uri,
        pool,
        {
          minos: OWNER_NAMESPACE,
          kind: "baseImage",
          volume,
          sha256: stored.sha256,
          bytes: stored.bytes,
          source: expectedOf(inputs, verified, "hash").source,
        },
        async () => {
          await uploadVolume(uri, pool, volume, file);
          return undefined;
        },
      );
      // Let libvirt see the qcow2 header it now holds.
      await virsh(uri, ["pool-refresh", pool]);
      return volumePath(uri, pool, volume);
    });
    return { id: volume, outs: { ...inputs, volume, path, verified } };
  },

  /** A volume that is gone, or is not the base image minos stored, reads as gone. */
  async read(id: string, props: BaseImageOutputs) {
    const found = await standing(
      props.uri,
      props.pool,
      id,
      expectedOf(props, props.verified, "size"),
    );
    return found.state === "ours" ? { id, props } : {};
  },

  async diff(_id: string, olds: BaseImageInputs, news: BaseImageInputs) {
    return diffProperties(olds, news, {
      uri: "replace",
      pool: "replace",
      url: "replace",
      digest: "replace",
      format: "replace",
      compression: "replace",
    });
  },

  async update(_id: string, olds: BaseImageOutputs, news: BaseImageInputs) {
    return { outs: { ...news, volume: olds.volume, path: olds.path, verified: olds.verified } };
  },

  /**
   * Deletes the volume unless other disks still build on it, and only if it
   * is the base image minos stored for this origin; anything else under the
   * name is left alone, with a warning.
   */
  async delete(id: string, props: BaseImageOutputs) {
    const users = await volumesBackedBy(props.uri, props.pool, props.path);
    if (users.length > 0) {
      log.info(`keeping ${id}: ${users.join(", ")} still build on it`);
      return;
    }
    await deleteOwned(props.uri, props.pool, id, expectedOf(props, props.verified, "size"));
  },
};

/** Arguments of a BaseImage. */
export interface BaseImageArgs {
  /** libvirt connection. Default `qemu:///system`. */
  uri?: string;
  /** Storage pool. Default `default`. */
  pool?: string;
  url: pulumi.Input<string>;
  /** A pinned digest, a digest list URL, or an explicit `{ insecureSkipVerify: true }`. */
  digest: pulumi.Input<DigestSpec>;
  /** Disk format once decompressed. Default `qcow2`. */
  format?: "qcow2" | "raw";
  /** How the file at `url` is compressed. Default `none`. */
  compression?: Compression;
}

/** An OS disk image in a libvirt pool, verified by digest, shared by digest. */
export class BaseImage extends LibvirtResource {
  declare readonly volume: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;
  declare readonly pool: pulumi.Output<string>;
  declare readonly format: pulumi.Output<"qcow2" | "raw">;

  constructor(name: string, args: BaseImageArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "baseImage",
      "BaseImage",
      name,
      {
        uri: validateLibvirtUri(args.uri ?? DEFAULT_URI),
        pool: args.pool ?? "default",
        url: args.url,
        digest: args.digest,
        format: args.format ?? "qcow2",
        compression: args.compression ?? "none",
        volume: undefined,
        path: undefined,
        verified: undefined,
      },
      opts,
    );
  }
}
