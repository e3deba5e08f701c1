import { basename, join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { checkDigest, type DigestSpec, digestFromList } from "./digest.js";
import { type Compression, download } from "./download.js";
import { diffProperties } from "./property-diff.js";
import { LibvirtResource } from "./shim.js";
import { withTempDir } from "./temp-files.js";
import { validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI, virsh } from "./virsh.js";
import {
  deleteVolume,
  uploadVolume,
  volumeExists,
  volumeLifecycle,
  volumePath,
  volumesBackedBy,
} from "./volumes.js";

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
 * Downloads, verifies, decompresses and uploads an OS image into a pool.
 * Volumes are named by digest, so clusters asking for the same image share
 * one copy; deleting keeps a volume that other disks still build on.
 */
export const baseImageProvider = {
  async create(inputs: BaseImageInputs) {
    const { log }: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
    const expected = await expectedDigest(inputs.digest, inputs.url);
    const volume = expected.value
      ? `minos-base-${expected.algorithm}-${expected.value.slice(0, 16)}.${inputs.format}`
      : `minos-base-unverified-${basename(new URL(inputs.url).pathname).replace(/[^A-Za-z0-9._-]/g, "_")}`;
    const verified = expected.value ? `${expected.algorithm}:${expected.value}` : "unverified";
    if (await volumeExists(inputs.uri, inputs.pool, volume)) {
      log.info(`${inputs.url}: already in pool ${inputs.pool} as ${volume}`);
      return {
        id: volume,
        outs: {
          ...inputs,
          volume,
          path: await volumePath(inputs.uri, inputs.pool, volume),
          verified,
        },
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
      const stored = await uploadVolume(inputs.uri, inputs.pool, volume, file);
      // Let libvirt see the qcow2 header it now holds.
      await virsh(inputs.uri, ["pool-refresh", inputs.pool]);
      return stored;
    });
    return { id: volume, outs: { ...inputs, volume, path, verified } };
  },

  read: volumeLifecycle.read,

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

  async update(_id: string, _olds: BaseImageOutputs, news: BaseImageOutputs) {
    return { outs: news };
  },

  async delete(id: string, props: BaseImageOutputs) {
    const users = await volumesBackedBy(props.uri, props.pool, props.path);
    if (users.length > 0) {
      const { log }: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
      log.info(`keeping ${id}: ${users.join(", ")} still build on it`);
      return;
    }
    await deleteVolume(props.uri, props.pool, id);
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
