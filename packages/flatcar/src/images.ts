import { type Arch, type ImageRef, MinosError, type PlatformName } from "@minos/core";
import type { FlatcarChannel } from "./channels.js";

/** The AWS account Flatcar publishes its AMIs from. */
export const FLATCAR_AWS_OWNER = "075585003325";
/** The GCP project Flatcar publishes its images in. */
export const FLATCAR_GCP_PROJECT = "kinvolk-public";

/** Flatcar's release server calls architectures by its board names. */
const BOARD: Record<Arch, string> = { amd64: "amd64-usr", arm64: "arm64-usr" };

/**
 * Where Flatcar's image for a channel lives on each platform. AMIs are the
 * newest of Flatcar's account matching the channel and architecture; GCE
 * images the newest in the channel's family; KVM the channel's current QEMU
 * image, verified against the SHA-512 in the DIGESTS file published beside it.
 */
export function flatcarImage(
  platform: PlatformName,
  arch: Arch,
  channel: FlatcarChannel,
): ImageRef {
  switch (platform) {
    case "aws":
      return {
        platform,
        kind: "ami-lookup",
        owners: [FLATCAR_AWS_OWNER],
        namePattern: `Flatcar-${channel}-*`,
        architecture: arch === "amd64" ? "x86_64" : "arm64",
      };
    case "gcp":
      if (arch !== "amd64") {
        throw new MinosError(
          "arch",
          arch,
          "Flatcar publishes GCE images for amd64 only; use amd64 on gcp",
        );
      }
      return {
        platform,
        kind: "family",
        project: FLATCAR_GCP_PROJECT,
        family: `flatcar-${channel}`,
      };
    case "kvm": {
      const base = `https://${channel}.release.flatcar-linux.net/${BOARD[arch]}/current`;
      return {
        platform,
        kind: "disk-image",
        url: `${base}/flatcar_production_qemu_image.img`,
        digest: { algorithm: "sha512", url: `${base}/flatcar_production_qemu_image.img.DIGESTS` },
        format: "qcow2",
        compression: "none",
      };
    }
  }
}
