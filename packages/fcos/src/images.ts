import type { Arch, ImageRef, ImageScope, MinosPlatform } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import type { FcosImageOptions } from "./image-options.js";
import { checkImageAvailable } from "./image-options.js";
import { StreamImages } from "./stream-images.js";

/** The AWS account Fedora CoreOS publishes its AMIs from. */
export const FCOS_AWS_OWNER = "125523088429";
/** The GCP project Fedora CoreOS publishes its images in. */
export const FCOS_GCP_PROJECT = "fedora-coreos-cloud";

const AMI_ARCH: Record<Arch, "x86_64" | "arm64"> = { amd64: "x86_64", arm64: "arm64" };

/**
 * The image for a platform: a pinned one if given, else from stream metadata
 * (made as a StreamImages resource under the cluster), else Fedora's own
 * cloud listings.
 */
export function fcosImage(
  platform: MinosPlatform,
  arch: Arch,
  scope: ImageScope,
  o: FcosImageOptions,
): ImageRef {
  const lookup = {
    owners: [FCOS_AWS_OWNER],
    descriptionPattern: `Fedora CoreOS ${o.stream} *`,
    architecture: AMI_ARCH[arch],
  };
  checkImageAvailable(platform, arch, o);
  if (platform === "aws" && o.amiId) return { platform, kind: "ami", id: o.amiId };
  if (platform === "gcp" && o.gcpImage)
    return { platform, kind: "image", project: FCOS_GCP_PROJECT, name: o.gcpImage };
  if (platform === "kvm" && o.qemuImage) return qemu(o.qemuImage.url, o.qemuImage.sha256);

  if (o.source === "cloud") {
    switch (platform) {
      case "aws":
        return { platform, kind: "ami-lookup", ...lookup };
      case "gcp":
        return {
          platform,
          kind: "family",
          project: FCOS_GCP_PROJECT,
          family: `fedora-coreos-${o.stream}`,
        };
    }
  }

  const images = new StreamImages(
    `${scope.name}-fcos-${o.stream}-${arch}`,
    { stream: o.stream, arch, ...o.streamMetadata },
    { parent: scope.parent },
  );
  switch (platform) {
    case "aws":
      return { platform, kind: "ami-per-region", amis: images.aws, fallback: lookup };
    case "gcp":
      return {
        platform,
        kind: "image",
        project: images.gcp.project,
        name: images.gcp.name,
      };
    case "kvm":
      return qemu(images.qemu.url, images.qemu.sha256);
  }
}

function qemu(url: pulumi.Input<string>, sha256: pulumi.Input<string>): ImageRef {
  return {
    platform: "kvm",
    kind: "disk-image",
    url,
    digest: { algorithm: "sha256", value: sha256 },
    format: "qcow2",
    compression: "xz",
  };
}
