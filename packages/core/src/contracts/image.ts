import type * as pulumi from "@pulumi/pulumi";
import { MinosError } from "../errors.js";

/**
 * Where an OS image lives on a platform. A NodeOs returns data; the platform
 * turns it into a lookup (AMI filter, GCE image family), an import or a
 * download. Fields typed `pulumi.Input` may be known only at deploy time
 * (read from an OS's release metadata); everything else is plain.
 *
 * Open: the shapes below are the vocabulary minos' own platforms read, and
 * a platform written elsewhere reads its own (`OtherImageRef`). A platform
 * checks `platform` and `kind` and refuses what it cannot boot.
 */
export type ImageRef = AwsImageRef | GcpImageRef | KvmImageRef | OtherImageRef;

/** An image reference for a platform minos does not ship: its fields are the platform's. */
export interface OtherImageRef {
  platform: string;
  kind: string;
  readonly [field: string]: unknown;
}

/** Finds the newest AMI of a publisher: owners + name or description pattern + architecture. */
export interface AmiLookup {
  owners: string[];
  /** EC2 `name` filter, e.g. `Flatcar-stable-*`. */
  namePattern?: string;
  /** EC2 `description` filter, e.g. `Fedora CoreOS stable *`. */
  descriptionPattern?: string;
  architecture: "x86_64" | "arm64";
}

/**
 * An AMI by id; the newest matching a lookup; or one per region from the
 * OS's release metadata, picked for the provider's region, with a lookup for
 * regions the metadata does not list.
 */
export type AwsImageRef = (
  | { platform: "aws"; kind: "ami"; id: pulumi.Input<string> }
  | ({ platform: "aws"; kind: "ami-lookup" } & AmiLookup)
  /** The AMI id a public SSM parameter holds (Bottlerocket's `/aws/service/bottlerocket/...`). */
  | { platform: "aws"; kind: "ssm-parameter"; parameter: string }
  | {
      platform: "aws";
      kind: "ami-per-region";
      /** AMI id by region name. */
      amis: pulumi.Input<Record<string, string>>;
      /** Used where `amis` has no entry for the region. */
      fallback: AmiLookup;
    }
) & {
  /**
   * The device of a separate data volume the image expects (Bottlerocket's
   * `/dev/xvdb`). The data volume then gets the requested disk size and the
   * root volume keeps the image's own. Default none: one root volume.
   */
  dataVolumeDevice?: string;
};

/**
 * A GCE image by family (newest in it), by exact name, by self link, or
 * imported by the platform from a raw-disk tarball the OS publishes (Talos:
 * no public image, but `gcp-<arch>.raw.tar.gz` from its Image Factory).
 */
export type GcpImageRef = (
  | { platform: "gcp"; kind: "family"; project: string; family: string }
  | { platform: "gcp"; kind: "image"; project: pulumi.Input<string>; name: pulumi.Input<string> }
  | { platform: "gcp"; kind: "self-link"; selfLink: pulumi.Input<string> }
  | {
      platform: "gcp";
      kind: "raw-disk-import";
      /** Where the `disk.raw` tarball is published (HTTPS). */
      url: string;
      /** Names the imported image: same key, same image (e.g. `talos-1.13.4-376567988ad3`). */
      key: string;
      description: string;
      /** The image's family, e.g. `talos-amd64`. */
      family: string;
      arch: "amd64" | "arm64";
      /** A GCS location for the copy GCE imports from (`US`, `europe-west1`). */
      bucketLocation: string;
    }
) & {
  /** The image boots with Shielded VM secure boot. Default false. */
  secureBoot?: boolean;
};

/** A disk image to download, verify and import into a libvirt pool. */
export interface KvmImageRef {
  platform: "kvm";
  kind: "disk-image";
  url: pulumi.Input<string>;
  /**
   * How to verify it: a pinned digest, a digest file published beside it, or
   * explicitly not at all (HTTPS only; for publishers without digests, and
   * the OS warns).
   */
  digest:
    | { algorithm: "sha256" | "sha512"; value: pulumi.Input<string> }
    | { algorithm: "sha256" | "sha512"; url: string }
    | { insecureSkipVerify: true };
  format: "qcow2" | "raw";
  compression: "none" | "gz" | "bz2" | "xz";
}

/**
 * A small first-boot config that points a node at its real one, which the
 * platform stored at `source` (`s3://bucket/key`): the OS's own way to
 * follow a pointer, pinned to the payload's content (Ignition:
 * `config.replace` with a SHA-512). It must hold no secret.
 */
export type PayloadPointer = (source: string, payload: string) => string;

/**
 * How a platform hands a node its first-boot payload. `pointer`: the OS can
 * follow a pointer to the real payload, so a platform with private storage
 * (AWS: S3) keeps the payload there and hands the node only the pointer.
 * `machine-api`: the platform hands the node nothing (no user-data, no
 * metadata key); the node boots waiting for its config and the OS hands it
 * over its own API (`afterControlPlane`), so no cloud reader sees it. A
 * platform refuses, with a MinosError, a kind it cannot honour.
 */
export type ConfigDelivery =
  | { kind: "user-data"; pointer?: PayloadPointer }
  | { kind: "metadata"; key: string; pointer?: PayloadPointer }
  | { kind: "fw_cfg"; key: string }
  | { kind: "cidata" }
  | { kind: "smbios" }
  | { kind: "machine-api" };

/** The image shapes minos' own platforms read, by platform. */
export interface MinosImageRefs {
  aws: AwsImageRef;
  gcp: GcpImageRef;
  kvm: KvmImageRef;
}

/**
 * A platform's own image reference out of any: the OS must have given one
 * for this platform. A platform calls it before reading the fields.
 */
export function imageFor<P extends keyof MinosImageRefs>(
  platform: P,
  image: ImageRef,
): MinosImageRefs[P] {
  if (image.platform !== platform)
    throw new MinosError("image", image.platform, `the OS gave no image for ${platform}`);
  return image as MinosImageRefs[P];
}
