import type { Arch, ImageRef, MinosPlatform, PlatformName } from "@minos/core/render";

/** The AWS account Talos publishes its AMIs from. */
export const TALOS_AWS_OWNER = "540036508848";
/** The Image Factory's schematic with no extensions: plain Talos. */
export const VANILLA_SCHEMATIC = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
/**
 * The schematic Talos builds its published AMIs from: its cloud image
 * uploader's default (`hack/cloud-image-uploader/options.go`,
 * `FactorySchematics` "aws:…" at v1.13.9), used with `--use-factory` when
 * the release workflow publishes them. A node booted from one upgrades to
 * an installer of the same schematic, or loses what it carries.
 */
export const AWS_AMI_SCHEMATIC = "10e276a06c1f86b182757a962258ac00655d3425e5957f617bdc82f06894e39b";
export const IMAGE_FACTORY_URL = "https://factory.talos.dev";

/** Where a cluster's Talos image comes from. */
export interface TalosImageOptions {
  talosVersion: string;
  /**
   * The user's schematic, when given. Default: the one the platform's image
   * is built from (`schematicOn`).
   */
  schematic?: string;
  amiId?: string;
  /** SHA-256 of the factory's `nocloud-<arch>.raw.xz`, when known. */
  kvmImageSha256?: string;
  /** Where the imported GCE image's source file is kept. */
  gcpBucketLocation: string;
}

const AMI_ARCH: Record<Arch, "x86_64" | "arm64"> = { amd64: "x86_64", arm64: "arm64" };

/**
 * The schematic a cluster's nodes boot from and upgrade to, one for both:
 * the user's, or on AWS without a pinned AMI the one Talos's AMIs are built
 * from, elsewhere plain Talos.
 */
export function schematicOn(platform: PlatformName, o: TalosImageOptions): string {
  if (o.schematic !== undefined) return o.schematic;
  return platform === "aws" && o.amiId === undefined ? AWS_AMI_SCHEMATIC : VANILLA_SCHEMATIC;
}

/** The Image Factory's URL of one image file of the platform's schematic. */
export const factoryUrl = (platform: PlatformName, o: TalosImageOptions, file: string) =>
  `${IMAGE_FACTORY_URL}/image/${schematicOn(platform, o)}/v${o.talosVersion}/${file}`;

/** Where the Image Factory serves installer images (its registry). */
const INSTALLER_REGISTRY = new URL(IMAGE_FACTORY_URL).host;

/**
 * The installer image an upgrade hands a node: the factory's platform
 * installer for the release and the schematic the node booted from
 * (`<platform>-installer`, NoCloud on KVM), so the node keeps its platform
 * and extensions.
 */
export function installerImage(platform: PlatformName, o: TalosImageOptions): string {
  const kind = platform === "kvm" ? "nocloud" : platform;
  return `${INSTALLER_REGISTRY}/${kind}-installer/${schematicOn(platform, o)}:v${o.talosVersion}`;
}

/**
 * Talos's image on each platform. AWS: Talos's own AMI for the version and
 * architecture (`talos-v<version>-<region>-<arch>`), or a pinned id. GCP:
 * Talos publishes no public image, so the platform imports the factory's
 * `gcp-<arch>.raw.tar.gz`. KVM: the factory's NoCloud disk image.
 */
export function talosImage(platform: MinosPlatform, arch: Arch, o: TalosImageOptions): ImageRef {
  switch (platform) {
    case "aws":
      if (o.amiId) return { platform, kind: "ami", id: o.amiId };
      return {
        platform,
        kind: "ami-lookup",
        owners: [TALOS_AWS_OWNER],
        namePattern: `talos-v${o.talosVersion}-*-${arch}`,
        architecture: AMI_ARCH[arch],
      };
    case "gcp": {
      const schematic = schematicOn(platform, o);
      return {
        platform,
        kind: "raw-disk-import",
        url: factoryUrl(platform, o, `gcp-${arch}.raw.tar.gz`),
        key: `talos-v${o.talosVersion}-${schematic.slice(0, 12)}`,
        description: `Talos ${o.talosVersion} (schematic ${schematic})`,
        family: `talos-${arch}`,
        arch,
        bucketLocation: o.gcpBucketLocation,
      };
    }
    case "kvm":
      return {
        platform,
        kind: "disk-image",
        url: factoryUrl(platform, o, `nocloud-${arch}.raw.xz`),
        digest: o.kvmImageSha256
          ? { algorithm: "sha256", value: o.kvmImageSha256 }
          : { insecureSkipVerify: true },
        format: "raw",
        compression: "xz",
      };
  }
}
