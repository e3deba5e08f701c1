// Light (no Pulumi SDK): the renderer checks arm64 on GCE with it too.
import type { Arch, ImageRef, MinosPlatform } from "@minos/core/render";
import { MinosError } from "@minos/core/render";
import type { FlatcarChannel } from "./channels.js";

/** The AWS account Flatcar publishes its AMIs from. */
export const FLATCAR_AWS_OWNER = "075585003325";
/** The GCP project Flatcar publishes its images in. */
export const FLATCAR_GCP_PROJECT = "kinvolk-public";

/** Flatcar's release server calls architectures by its board names. */
const BOARD: Record<Arch, string> = { amd64: "amd64-usr", arm64: "arm64-usr" };

/**
 * Flatcar's QEMU disk image per board. Flatcar builds one UEFI image
 * (`qemu_uefi`) and, on amd64 only, links it as the plain `qemu` name too
 * (flatcar/scripts `build_library/vm_image_util.sh`: "Skip non-UEFI qemu
 * image symlink/script for arm64"). arm64 has only the UEFI name, and boots
 * only with UEFI firmware, which the kvm platform gives every arm64 node.
 */
export const FLATCAR_QEMU_IMAGE: Record<Arch, string> = {
  amd64: "flatcar_production_qemu_image.img",
  arm64: "flatcar_production_qemu_uefi_image.img",
};

/** Flatcar's GCE images are amd64 only. */
export function gcpAmd64Only(arch: Arch): never {
  throw new MinosError(
    "arch",
    arch,
    "Flatcar publishes GCE images for amd64 only; use amd64 on gcp",
  );
}

/**
 * Where Flatcar's image for a channel lives on each platform. AMIs are the
 * newest of Flatcar's account matching the channel and architecture; GCE
 * images the newest in the channel's family; KVM the channel's current QEMU
 * image, verified against the SHA-512 in the DIGESTS file published beside it.
 */
export function flatcarImage(
  platform: MinosPlatform,
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
      if (arch !== "amd64") gcpAmd64Only(arch);
      return {
        platform,
        kind: "family",
        project: FLATCAR_GCP_PROJECT,
        family: `flatcar-${channel}`,
      };
    case "kvm": {
      const url = `https://${channel}.release.flatcar-linux.net/${BOARD[arch]}/current/${FLATCAR_QEMU_IMAGE[arch]}`;
      return {
        platform,
        kind: "disk-image",
        url,
        // Flatcar's CI writes a DIGESTS file beside every artifact (ci-automation `create_digests`).
        digest: { algorithm: "sha512", url: `${url}.DIGESTS` },
        format: "qcow2",
        compression: "none",
      };
    }
  }
}
