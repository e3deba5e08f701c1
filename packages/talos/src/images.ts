import type { Arch, ImageRef, MinosPlatform, PlatformName } from "@minos/core/render";

/** The AWS account Talos publishes its AMIs from. */
export const TALOS_AWS_OWNER = "540036508848";
/** The Image Factory's schematic with no extensions: plain Talos. */
export const VANILLA_SCHEMATIC = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba";
export const IMAGE_FACTORY_URL = "https://factory.talos.dev";

/** Where a cluster's Talos image comes from. */
export interface TalosImageOptions {
  talosVersion: string;
  schematic: string;
  amiId?: string;
  /** SHA-256 of the factory's `nocloud-<arch>.raw.xz`, when known. */
  kvmImageSha256?: string;
  /** Where the imported GCE image's source file is kept. */
  gcpBucketLocation: string;
}

const AMI_ARCH: Record<Arch, "x86_64" | "arm64"> = { amd64: "x86_64", arm64: "arm64" };

/** The Image Factory's URL of one image file. */
export const factoryUrl = (o: TalosImageOptions, file: string) =>
  `${IMAGE_FACTORY_URL}/image/${o.schematic}/v${o.talosVersion}/${file}`;

/** Where the Image Factory serves installer images (its registry). */
const INSTALLER_REGISTRY = new URL(IMAGE_FACTORY_URL).host;

/**
 * The installer image an upgrade hands a node: the factory's platform
 * installer for the schematic and release (`<platform>-installer`, NoCloud
 * on KVM), so the node keeps its platform and extensions.
 */
export function installerImage(platform: PlatformName, o: TalosImageOptions): string {
  const kind = platform === "kvm" ? "nocloud" : platform;
  return `${INSTALLER_REGISTRY}/${kind}-installer/${o.schematic}:v${o.talosVersion}`;
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
    case "gcp":
      return {
        platform,
        kind: "raw-disk-import",
        url: factoryUrl(o, `gcp-${arch}.raw.tar.gz`),
        key: `talos-v${o.talosVersion}-${o.schematic.slice(0, 12)}`,
        description: `Talos ${o.talosVersion} (schematic ${o.schematic})`,
        family: `talos-${arch}`,
        arch,
        bucketLocation: o.gcpBucketLocation,
      };
    case "kvm":
      return {
        platform,
        kind: "disk-image",
        url: factoryUrl(o, `nocloud-${arch}.raw.xz`),
        digest: o.kvmImageSha256
          ? { algorithm: "sha256", value: o.kvmImageSha256 }
          : { insecureSkipVerify: true },
        format: "raw",
        compression: "xz",
      };
  }
}
