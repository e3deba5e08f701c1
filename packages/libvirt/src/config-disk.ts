import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { diffProperties } from "@minos/provider-kit";
import * as pulumi from "@pulumi/pulumi";
import { spawnFailure } from "./host-tools.js";
import { newMark, OWNER_NAMESPACE } from "./ownership.js";
import { LibvirtResource } from "./shim.js";
import { withTempDir } from "./temp-files.js";
import { validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI } from "./virsh.js";
import { createOwned, deleteOwned, standing } from "./volume-records.js";
import { uploadVolume, volumePath } from "./volumes.js";

/** Inputs of a NoCloud config disk, plain. */
export interface ConfigDiskInputs {
  uri: string;
  pool: string;
  name: string;
  userData: string;
  metaData: string;
  networkConfig?: string;
}

/** What a config disk's state holds: its inputs, its path, and the owner id in its ownership record. */
export interface ConfigDiskOutputs extends ConfigDiskInputs {
  path: string;
  /** Owner id in the ISO's ownership record; absent in state written before minos kept records. */
  owner?: string;
}

const expected = (owner: string | undefined) => ({ kind: "configDisk" as const, owner });

/**
 * A cidata ISO (NoCloud: `user-data`, `meta-data`, optional
 * `network-config`) built with genisoimage and stored as a raw volume. The
 * files exist on this machine only inside a private temporary directory.
 * minos claims the volume with an ownership record (see `VolumeRecord`)
 * that pins the ISO's SHA-256, and touches only the one its state's owner
 * id claims.
 */
export const configDiskProvider = {
  async create(inputs: ConfigDiskInputs) {
    const { uri, pool, name } = inputs;
    validateLibvirtUri(uri);
    const owner = newMark().owner;
    await withTempDir(async (dir, write) => {
      const files = [write("user-data", inputs.userData), write("meta-data", inputs.metaData)];
      if (inputs.networkConfig !== undefined)
        files.push(write("network-config", inputs.networkConfig));
      const iso = `${dir}/cidata.iso`;
      await promisify(execFile)("genisoimage", [
        "-quiet",
        "-output",
        iso,
        "-volid",
        "cidata",
        "-joliet",
        "-rock",
        ...files,
      ]).catch((e: unknown) => {
        throw spawnFailure("genisoimage", e);
      });
      const bytes = readFileSync(iso);
      await createOwned(
        uri,
        pool,
        {
          minos: OWNER_NAMESPACE,
          kind: "configDisk",
          volume: name,
          owner,
          sha256: createHash("sha256").update(bytes).digest("hex"),
          bytes: bytes.length,
        },
        async () => {
          await uploadVolume(uri, pool, name, iso);
          return undefined;
        },
      );
    });
    return { id: name, outs: { ...inputs, path: await volumePath(uri, pool, name), owner } };
  },

  /** An ISO that is gone, or is not the one this resource made, reads as gone. */
  async read(id: string, props: ConfigDiskOutputs) {
    const found = await standing(props.uri, props.pool, id, expected(props.owner));
    return found.state === "ours" ? { id, props } : {};
  },

  async diff(_id: string, olds: ConfigDiskInputs, news: ConfigDiskInputs) {
    return diffProperties(
      olds,
      news,
      {
        uri: "replace",
        pool: "replace",
        name: "replace",
        userData: "replace",
        metaData: "replace",
        networkConfig: "replace",
      },
      // The same volume name must be freed first; a new one is made before the old goes.
      olds.name === news.name,
    );
  },

  async update(_id: string, olds: ConfigDiskOutputs, news: ConfigDiskInputs) {
    return { outs: { ...news, path: olds.path, owner: olds.owner } };
  },

  /** Deletes this resource's ISO and its record; another volume of its name is left alone, with a warning. */
  async delete(id: string, props: ConfigDiskOutputs) {
    await deleteOwned(props.uri, props.pool, id, expected(props.owner));
  },
};

/** Arguments of a ConfigDisk. */
export interface ConfigDiskArgs {
  uri?: string;
  pool?: string;
  /** Volume name. Default: the resource name with `.iso`. */
  name?: pulumi.Input<string>;
  userData: pulumi.Input<string>;
  metaData: pulumi.Input<string>;
  networkConfig?: pulumi.Input<string>;
}

/** A NoCloud cidata ISO in a libvirt pool. Its user-data is kept secret in state. */
export class ConfigDisk extends LibvirtResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly pool: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;
  /** The owner id in the ISO's ownership record. */
  declare readonly owner: pulumi.Output<string>;

  constructor(name: string, args: ConfigDiskArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "configDisk",
      "ConfigDisk",
      name,
      {
        uri: validateLibvirtUri(args.uri ?? DEFAULT_URI),
        pool: args.pool ?? "default",
        name: args.name ?? `${name}.iso`,
        userData: pulumi.secret(args.userData),
        metaData: args.metaData,
        networkConfig: args.networkConfig,
        path: undefined,
        owner: undefined,
      },
      { ...opts, additionalSecretOutputs: ["userData"] },
    );
  }
}
