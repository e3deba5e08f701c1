import type { Arch } from "@minos/core";
import { diffProperties } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import type { FcosImages, FcosStream } from "./stream.js";
import { fetchStream, imagesFromStream } from "./stream.js";

/** What a StreamImages resource is asked for. */
export interface StreamImagesInputs {
  stream: FcosStream;
  arch: Arch;
  baseUrl?: string;
  timeoutSeconds: number;
}

/** What it records: the stream's images for one architecture, at creation. */
export type StreamImagesOutputs = StreamImagesInputs & FcosImages;

/**
 * Reads stream metadata once, when the resource is created, and keeps the
 * answer in state: a new Fedora CoreOS release does not replace nodes on the
 * next `pulumi up` (they update themselves in place). Asking for another
 * stream, architecture or mirror reads it again.
 */
export const streamImagesProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: StreamImagesInputs) {
    const stream = await fetchStream(inputs.stream, {
      ...(inputs.baseUrl !== undefined && { baseUrl: inputs.baseUrl }),
      timeoutMs: inputs.timeoutSeconds * 1000,
    });
    const images = imagesFromStream(stream, inputs.arch, `${inputs.stream} stream metadata`);
    const outs: StreamImagesOutputs = { ...inputs, ...images };
    return { id: `${inputs.stream}-${inputs.arch}-${images.release}`, outs };
  },

  async diff(_id, olds: StreamImagesOutputs, news: StreamImagesInputs) {
    return diffProperties<StreamImagesInputs>(olds, news, {
      stream: "replace",
      arch: "replace",
      baseUrl: "replace",
      timeoutSeconds: "update",
    });
  },

  async update(_id, olds: StreamImagesOutputs, news: StreamImagesInputs) {
    // Only the timeout changed; the recorded images stay.
    return { outs: { ...olds, timeoutSeconds: news.timeoutSeconds } };
  },
};

/** The providers this package serializes by name. */
export const providers = { streamImages: streamImagesProvider };
