import type { ImageRef } from "@minos/core";
import { imageFor, MinosError } from "@minos/core";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

/**
 * The self link of an OS's GCE image: the newest of a family, a pinned one,
 * or one imported here from the raw-disk tarball the OS publishes, under
 * `<cluster>-<family>`.
 */
export function resolveGcpImage(
  ref: ImageRef,
  cluster: string,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  const image = imageFor("gcp", ref);
  switch (image.kind) {
    case "self-link":
      return pulumi.output(image.selfLink);
    case "family":
      return gcp.compute.getImageOutput(
        { project: image.project, family: image.family },
        { parent },
      ).selfLink;
    case "image":
      return gcp.compute.getImageOutput({ project: image.project, name: image.name }, { parent })
        .selfLink;
    case "raw-disk-import":
      return importRawDisk(image, `${cluster}-${image.family}`, parent);
  }
}

/**
 * What an instance template names to boot the newest image of a family as
 * each machine is made (GCE resolves a family path then), for pools whose
 * OS updates are off; other images are not resolved at launch.
 */
export function familyAtLaunch(ref: ImageRef): string | undefined {
  const image = imageFor("gcp", ref);
  return image.kind === "family"
    ? `projects/${image.project}/global/images/family/${image.family}`
    : undefined;
}

type RawDiskImport = Extract<ReturnType<typeof imageFor<"gcp">>, { kind: "raw-disk-import" }>;

/**
 * GCE imports images only from its own storage: the tarball is copied into a
 * private bucket, then a UEFI compute image is made from it.
 */
function importRawDisk(
  image: RawDiskImport,
  name: string,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  if (!/^[A-Za-z][-A-Za-z0-9]*$/.test(image.bucketLocation))
    throw new MinosError(
      "image.bucketLocation",
      image.bucketLocation,
      'use a GCS location like "US" or "europe-west1"',
    );
  const opts = { parent };
  const bucket = new gcp.storage.Bucket(
    name,
    {
      location: image.bucketLocation,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: true,
    },
    opts,
  );
  const object = new gcp.storage.BucketObject(
    name,
    {
      bucket: bucket.name,
      name: `${image.key}-${image.url.slice(image.url.lastIndexOf("/") + 1)}`,
      source: new pulumi.asset.RemoteAsset(image.url),
    },
    opts,
  );
  return new gcp.compute.Image(
    name,
    {
      family: image.family,
      description: image.description,
      rawDisk: {
        source: pulumi.interpolate`https://storage.googleapis.com/${bucket.name}/${object.name}`,
      },
      guestOsFeatures: [{ type: "VIRTIO_SCSI_MULTIQUEUE" }, { type: "UEFI_COMPATIBLE" }],
      ...(image.arch === "arm64" && { architecture: "ARM64" }),
    },
    opts,
  ).selfLink;
}
