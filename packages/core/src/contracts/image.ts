import type * as pulumi from "@pulumi/pulumi";

/**
 * Where an OS image lives on a platform. A NodeOs returns data; the platform
 * turns it into a lookup (AMI filter, GCE image family) or a download. Fields
 * typed `pulumi.Input` may be known only at deploy time (read from an OS's
 * release metadata); everything else is plain.
 */
export type ImageRef = AwsImageRef | GcpImageRef | KvmImageRef;

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

/** A GCE image by family (newest in it), by exact name, or one the OS imported itself. */
export type GcpImageRef = (
  | { platform: "gcp"; kind: "family"; project: string; family: string }
  | { platform: "gcp"; kind: "image"; project: pulumi.Input<string>; name: pulumi.Input<string> }
  | { platform: "gcp"; kind: "self-link"; selfLink: pulumi.Input<string> }
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
 * How a platform hands a node its first-boot payload. `ignitionPointer`: the
 * OS's Ignition can follow a small pointer config to the real one (AWS then
 * keeps payloads in S3, out of EC2 user-data).
 */
export type ConfigDelivery =
  | { kind: "user-data"; ignitionPointer?: boolean }
  | { kind: "metadata"; key: string }
  | { kind: "fw_cfg"; key: string }
  | { kind: "cidata" }
  | { kind: "smbios" };
