import type { Arch } from "@minos/core";
import { dynamicProviderShim } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import type { FcosImages, FcosStream } from "./stream.js";

/** Arguments of StreamImages. */
export interface StreamImagesArgs {
  stream: FcosStream;
  arch: Arch;
  /** A mirror of `https://builds.coreos.fedoraproject.org/streams`. */
  baseUrl?: string;
  /** How long to wait for the metadata. */
  timeoutSeconds: number;
}

/**
 * A stream's images for one architecture, read from Fedora CoreOS stream
 * metadata when first created and kept in state after.
 */
export class StreamImages extends pulumi.dynamic.Resource {
  declare readonly release: pulumi.Output<string>;
  declare readonly aws: pulumi.Output<FcosImages["aws"]>;
  declare readonly gcp: pulumi.Output<FcosImages["gcp"]>;
  declare readonly qemu: pulumi.Output<FcosImages["qemu"]>;

  constructor(name: string, args: StreamImagesArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shim,
      name,
      { ...args, release: undefined, aws: undefined, gcp: undefined, qemu: undefined },
      opts,
      "minos-fcos",
      "StreamImages",
    );
  }
}

/** The serialized provider: it loads this package's own in the provider process. */
export const shim = dynamicProviderShim("@minos/fcos/providers", "streamImages", {
  from: __dirname,
});
