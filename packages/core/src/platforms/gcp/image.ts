import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRef } from "../../contracts/image.js";
import { MinosError } from "../../errors.js";

/** The self link of an OS's GCE image: the newest of a family, or a pinned one. */
export function resolveGcpImage(image: ImageRef, parent: pulumi.Resource): pulumi.Output<string> {
  if (image.platform !== "gcp")
    throw new MinosError("image", image.platform, "the OS gave no GCP image");
  if (image.kind === "self-link") return pulumi.output(image.selfLink);
  const found =
    image.kind === "family"
      ? gcp.compute.getImageOutput({ project: image.project, family: image.family }, { parent })
      : gcp.compute.getImageOutput({ project: image.project, name: image.name }, { parent });
  return found.selfLink;
}
