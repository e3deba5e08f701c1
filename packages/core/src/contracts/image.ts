/**
 * Where an OS image lives on a platform. A NodeOs returns data; the platform
 * turns it into a lookup (AMI filter, GCE image family) or a download.
 */
export type ImageRef = AwsImageRef | GcpImageRef | KvmImageRef;

/** An AMI by id, or the newest AMI matching owners + name pattern + architecture. */
export type AwsImageRef =
  | { platform: "aws"; kind: "ami"; id: string }
  | {
      platform: "aws";
      kind: "ami-lookup";
      owners: string[];
      /** EC2 name filter, e.g. `Flatcar-stable-*`. */
      namePattern: string;
      architecture: "x86_64" | "arm64";
    };

/** A GCE image by family (newest in it) or by exact name. */
export type GcpImageRef = (
  | { platform: "gcp"; kind: "family"; project: string; family: string }
  | { platform: "gcp"; kind: "image"; project: string; name: string }
) & {
  /** The image boots with Shielded VM secure boot. Default false. */
  secureBoot?: boolean;
};

/** A disk image to download, verify and import into a libvirt pool. */
export interface KvmImageRef {
  platform: "kvm";
  kind: "disk-image";
  url: string;
  /** How to verify it: a pinned digest, or a digest file published beside it. */
  digest:
    | { algorithm: "sha256" | "sha512"; value: string }
    | { algorithm: "sha256" | "sha512"; url: string };
  format: "qcow2" | "raw";
  compression: "none" | "gz" | "bz2" | "xz";
}

/** How a platform hands a node its first-boot payload. */
export type ConfigDelivery =
  | { kind: "user-data" }
  | { kind: "metadata"; key: string }
  | { kind: "fw_cfg"; key: string }
  | { kind: "cidata" }
  | { kind: "smbios" };
