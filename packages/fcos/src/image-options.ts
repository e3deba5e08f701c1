import type { Arch, PlatformName } from "@minos/core/render";
import { MinosError } from "@minos/core/render";
import type { FcosStream } from "./stream.js";

/** Where a cluster's Fedora CoreOS image comes from. */
export interface FcosImageOptions {
  stream: FcosStream;
  /**
   * `stream-metadata`: read the stream's metadata at deploy time (AMI for the
   * provider's region, GCE image, QEMU image and its SHA-256) and keep the
   * answer in state. `cloud`: the newest AMI of Fedora's account or the GCE
   * family, without reading metadata (KVM then needs `qemuImage`).
   */
  source: "stream-metadata" | "cloud";
  streamMetadata: { baseUrl?: string; timeoutSeconds: number };
  amiId?: string;
  gcpImage?: string;
  qemuImage?: { url: string; sha256: string };
}

/**
 * Refuses a platform and architecture these options give no image for: the
 * OS's `validate` calls it before any resource exists.
 */
export function checkImageAvailable(platform: PlatformName, arch: Arch, o: FcosImageOptions): void {
  if (platform === "kvm" && o.source === "cloud" && !o.qemuImage)
    throw new MinosError(
      "qemuImage",
      undefined,
      'kvm needs the QEMU image\'s URL and SHA-256: set qemuImage, or use imageSource "stream-metadata"',
    );
  if (platform === "gcp" && arch !== "amd64" && !o.gcpImage)
    throw new MinosError(
      "arch",
      arch,
      "Fedora CoreOS publishes GCE images for amd64 only; use amd64 on gcp",
    );
}
