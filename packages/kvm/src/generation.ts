import { createHash } from "node:crypto";
import type { MachinesRequest } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/**
 * What a worker's machine is made from, as six hex digits: its payload,
 * size and disk, and its image unless the OS keeps the one the pool was made
 * with (`imageUpdates: "keep"`). A new generation is a new machine, as a new
 * launch template version is in a cloud pool. Not secret: a few bytes of a
 * hash say nothing of the payload.
 */
export function workerGeneration(
  request: MachinesRequest,
  machineType: string,
  imageUrl: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.unsecret(
    pulumi.all([request.payload, imageUrl]).apply(([payload, url]) =>
      createHash("sha256")
        .update(
          JSON.stringify([
            payload,
            machineType,
            request.diskGiB,
            request.imageUpdates === "keep" ? "" : url,
          ]),
        )
        .digest("hex")
        .slice(0, 6),
    ),
  );
}
