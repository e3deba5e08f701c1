import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ImageRef } from "../../contracts/image.js";
import { MinosError } from "../../errors.js";

/** An AMI and the device name its root volume attaches as. */
export interface ResolvedAmi {
  id: pulumi.Output<string>;
  rootDeviceName: pulumi.Output<string>;
}

/** Looks an OS's AMI up (newest matching, or a pinned id) through `aws.ec2.getAmi`. */
export function resolveAmi(image: ImageRef, parent: pulumi.Resource): ResolvedAmi {
  if (image.platform !== "aws")
    throw new MinosError("image", image.platform, "the OS gave no AWS image");
  const ami =
    image.kind === "ami"
      ? // An exact id cannot be spoofed, and a pinned OS AMI belongs to its publisher's account.
        aws.ec2.getAmiOutput({ filters: [{ name: "image-id", values: [image.id] }] }, { parent })
      : aws.ec2.getAmiOutput(
          {
            owners: image.owners,
            mostRecent: true,
            filters: [
              { name: "name", values: [image.namePattern] },
              { name: "architecture", values: [image.architecture] },
              { name: "virtualization-type", values: ["hvm"] },
            ],
          },
          { parent },
        );
  return { id: ami.id, rootDeviceName: ami.rootDeviceName };
}
