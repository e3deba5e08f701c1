import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { diffProperties } from "./property-diff.js";
import { LibvirtResource } from "./shim.js";
import { withTempDir } from "./temp-files.js";
import { validateLibvirtUri } from "./uri.js";
import { DEFAULT_URI } from "./virsh.js";
import { uploadVolume, volumeLifecycle } from "./volumes.js";

/** Inputs of a NoCloud config disk, plain. */
export interface ConfigDiskInputs {
  uri: string;
  pool: string;
  name: string;
  userData: string;
  metaData: string;
  networkConfig?: string;
}

/**
 * A cidata ISO (NoCloud: `user-data`, `meta-data`, optional
 * `network-config`) built with genisoimage and stored as a raw volume. The
 * files exist on this machine only inside a private temporary directory.
 */
export const configDiskProvider = {
  async create(inputs: ConfigDiskInputs) {
    const path = await withTempDir(async (dir, write) => {
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
      ]);
      return uploadVolume(inputs.uri, inputs.pool, inputs.name, iso);
    });
    return { id: inputs.name, outs: { ...inputs, path } };
  },

  read: volumeLifecycle.read,

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
      true,
    );
  },

  async update(_id: string, _olds: ConfigDiskInputs, news: ConfigDiskInputs) {
    return { outs: news };
  },

  delete: volumeLifecycle.delete,
};

/** Arguments of a ConfigDisk. */
export interface ConfigDiskArgs {
  uri?: string;
  pool?: string;
  /** Volume name. Default: the resource name with `.iso`. */
  name?: string;
  userData: pulumi.Input<string>;
  metaData: pulumi.Input<string>;
  networkConfig?: pulumi.Input<string>;
}

/** A NoCloud cidata ISO in a libvirt pool. Its user-data is kept secret in state. */
export class ConfigDisk extends LibvirtResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly pool: pulumi.Output<string>;
  declare readonly path: pulumi.Output<string>;

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
      },
      { ...opts, additionalSecretOutputs: ["userData"] },
    );
  }
}
