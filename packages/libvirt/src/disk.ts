import { diffProperties } from "@minos/provider-kit";
import type * as pulumi from "@pulumi/pulumi";
import { newMark, notTheOne, OWNER_NAMESPACE } from "./ownership.js";
import { LibvirtResource } from "./shim.js";
import { validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI, virsh } from "./virsh.js";
import { backingOf } from "./volume-content.js";
import { createOwned, deleteOwned, standing } from "./volume-records.js";
import { volumePath } from "./volumes.js";

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

/** What a disk's state holds: its inputs, its path, and the owner id in its ownership record. */
export interface DiskOutputs extends DiskInputs {
  path: string;
  /** Owner id in the disk's ownership record; absent in state written before minos kept records. */
  owner?: string;
}

const expected = (owner: string | undefined) => ({ kind: "disk" as const, owner });

/**
 * A qcow2 overlay on a base image: the node's own disk, sharing the base's
 * blocks. minos claims it with an ownership record (see `VolumeRecord`) that
 * pins its backing file, and touches only the disk its state's owner id
 * claims.
 */
export const diskProvider = {
  async create(inputs: DiskInputs) {
    const { uri, pool, name } = inputs;
    validateLibvirtUri(uri);
    const owner = newMark().owner;
    await createOwned(
      uri,
      pool,
      { minos: OWNER_NAMESPACE, kind: "disk", volume: name, owner },
      async () => {
        await virsh(uri, [
          "vol-create-as",
          pool,
          name,
          `${inputs.sizeGiB}G`,
          "--format",
          "qcow2",
          "--backing-vol",
          inputs.basePath,
          "--backing-vol-format",
          inputs.baseFormat,
        ]);
        return { backing: await backingOf(uri, pool, name) };
      },
    );
    return { id: name, outs: { ...inputs, path: await volumePath(uri, pool, name), owner } };
  },

  /** A disk that is gone, or is not the one this resource made, reads as gone. */
  async read(id: string, props: DiskOutputs) {
    const found = await standing(props.uri, props.pool, id, expected(props.owner));
    return found.state === "ours" ? { id, props } : {};
  },

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
      // The same volume name must be freed first; a new one is made before the old goes.
      olds.name === news.name,
    );
  },

  /** Grows this resource's disk, and no other. */
  async update(id: string, olds: DiskOutputs, news: DiskInputs) {
    const found = await standing(news.uri, news.pool, id, expected(olds.owner));
    if (found.state !== "ours")
      throw notTheOne(
        "volume",
        `${news.pool}/${id}`,
        news.uri,
        found.state === "absent" ? "it does not exist" : found.why,
      );
    await virsh(news.uri, ["vol-resize", "--pool", news.pool, id, `${news.sizeGiB}G`]);
    return { outs: { ...news, path: olds.path, owner: olds.owner } };
  },

  /** Deletes this resource's disk and its record; another volume of its name is left alone, with a warning. */
  async delete(id: string, props: DiskOutputs) {
    await deleteOwned(props.uri, props.pool, id, expected(props.owner));
  },
};

/** Arguments of a Disk. */
export interface DiskArgs {
  uri?: string;
  /** Storage pool. Default `default`. */
  pool?: string;
  /** Volume name. Default: the resource name with `.qcow2`. */
  name?: pulumi.Input<string>;
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
  /** The owner id in the disk's ownership record. */
  declare readonly owner: pulumi.Output<string>;

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
        owner: undefined,
      },
      opts,
    );
  }
}
