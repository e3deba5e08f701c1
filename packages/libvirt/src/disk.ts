import type * as pulumi from "@pulumi/pulumi";
import { diffProperties } from "./property-diff.js";
import { LibvirtResource } from "./shim.js";
import { validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI, virsh } from "./virsh.js";
import { volumeLifecycle, volumePath } from "./volumes.js";

/** Inputs of an overlay disk, plain. */
export interface DiskInputs {
  uri: string;
  pool: string;
  name: string;
  /** Host path of the base volume. */
  basePath: string;
  baseFormat: "qcow2" | "raw";
  sizeGiB: number;
}

/** A qcow2 overlay on a base image: the node's own disk, sharing the base's blocks. */
export const diskProvider = {
  async create(inputs: DiskInputs) {
    await virsh(inputs.uri, [
      "vol-create-as",
      inputs.pool,
      inputs.name,
      `${inputs.sizeGiB}G`,
      "--format",
      "qcow2",
      "--backing-vol",
      inputs.basePath,
      "--backing-vol-format",
      inputs.baseFormat,
    ]);
    return {
      id: inputs.name,
      outs: { ...inputs, path: await volumePath(inputs.uri, inputs.pool, inputs.name) },
    };
  },

  read: volumeLifecycle.read,

  /** Growing is done in place; anything else makes a new disk. */
  async diff(_id: string, olds: DiskInputs, news: DiskInputs) {
    return diffProperties(
      olds,
      news,
      {
        uri: "replace",
        pool: "replace",
        name: "replace",
        basePath: "replace",
        baseFormat: "replace",
        sizeGiB: news.sizeGiB < olds.sizeGiB ? "replace" : "update",
      },
      true,
    );
  },

  async update(id: string, _olds: DiskInputs, news: DiskInputs & { path: string }) {
    await virsh(news.uri, ["vol-resize", "--pool", news.pool, id, `${news.sizeGiB}G`]);
    return { outs: news };
  },

  delete: volumeLifecycle.delete,
};

/** Arguments of a Disk. */
export interface DiskArgs {
  uri?: string;
  /** Storage pool. Default `default`. */
  pool?: string;
  /** Volume name. Default: the resource name with `.qcow2`. */
  name?: string;
  /** The base image volume's host path (`BaseImage.path`). */
  basePath: pulumi.Input<string>;
  baseFormat?: pulumi.Input<"qcow2" | "raw">;
  /** Virtual size in GiB; at least the base image's. */
  sizeGiB: pulumi.Input<number>;
}

/** A qcow2 overlay disk on a base image. */
export class Disk extends LibvirtResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly pool: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;

  constructor(name: string, args: DiskArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "disk",
      "Disk",
      name,
      {
        uri: validateLibvirtUri(args.uri ?? DEFAULT_URI),
        pool: args.pool ?? "default",
        name: args.name ?? `${name}.qcow2`,
        basePath: args.basePath,
        baseFormat: args.baseFormat ?? "qcow2",
        sizeGiB: args.sizeGiB,
        path: undefined,
      },
      opts,
    );
  }
}
