import type { AmiLookup, ImageRef } from "@minos/core";
import { imageFor } from "@minos/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** An AMI and the device name its root volume attaches as. */
export interface ResolvedAmi {
  id: pulumi.Output<string>;
  rootDeviceName: pulumi.Output<string>;
  /** The image's separate data volume, when it has one. */
  dataVolumeDevice?: string;
  /** The public SSM parameter the AMI was read from, for a launch template to resolve at launch. */
  ssmParameter?: string;
}

/**
 * Looks an OS's AMI up through `aws.ec2.getAmi`: a pinned id, the newest
 * matching a publisher's lookup, the id a public SSM parameter holds, or the
 * release metadata's AMI for the provider's region (the lookup where the
 * metadata lists none).
 */
export function resolveAmi(ref: ImageRef, parent: pulumi.Resource): ResolvedAmi {
  const image = imageFor("aws", ref);
  const ami = (() => {
    switch (image.kind) {
      case "ami":
        return byId(image.id, parent);
      case "ami-lookup":
        return newest(image, parent);
      case "ssm-parameter":
        return byId(
          aws.ssm.getParameterOutput({ name: image.parameter }, { parent }).value,
          parent,
        );
      case "ami-per-region": {
        const region = aws.getRegionOutput({}, { parent });
        const listed = pulumi
          .all([pulumi.output(image.amis), region.region])
          .apply(([amis, name]) => amis[name] ?? "");
        return listed.apply((id) =>
          id ? byId(id, parent) : newest(image.fallback, parent),
        ) as pulumi.Output<aws.ec2.GetAmiResult>;
      }
    }
  })();
  return {
    id: ami.id,
    rootDeviceName: ami.rootDeviceName,
    ...(image.dataVolumeDevice !== undefined && { dataVolumeDevice: image.dataVolumeDevice }),
    ...(image.kind === "ssm-parameter" && { ssmParameter: image.parameter }),
  };
}

/** An exact id cannot be spoofed, and a pinned OS AMI belongs to its publisher's account. */
function byId(id: pulumi.Input<string>, parent: pulumi.Resource) {
  return aws.ec2.getAmiOutput({ filters: [{ name: "image-id", values: [id] }] }, { parent });
}

function newest(lookup: AmiLookup, parent: pulumi.Resource) {
  const filters = [
    ...(lookup.namePattern ? [{ name: "name", values: [lookup.namePattern] }] : []),
    ...(lookup.descriptionPattern
      ? [{ name: "description", values: [lookup.descriptionPattern] }]
      : []),
    { name: "architecture", values: [lookup.architecture] },
    { name: "virtualization-type", values: ["hvm"] },
  ];
  return aws.ec2.getAmiOutput({ owners: lookup.owners, mostRecent: true, filters }, { parent });
}
