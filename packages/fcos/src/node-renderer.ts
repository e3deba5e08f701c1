import type { kubeadm, MinosPlatform, NodeRenderer } from "@minos/core/render";
import {
  ignition,
  MinosError,
  optionKeys,
  platformOf,
  refusePinsElsewhere,
  refuseUnknownKeys,
  VAR_LOCAL_VOLUMES,
  validateAmiId,
  validateGceImageName,
  validateHttpUrl,
} from "@minos/core/render";
import type { FcosImageOptions } from "./image-options.js";
import { checkImageAvailable } from "./image-options.js";
import { withLocalVolumes } from "./local-volumes.js";
import type { FcosStream } from "./stream.js";
import { FCOS_STREAMS } from "./stream.js";
import type { FcosSysextOptions, ResolvedFcosSysext } from "./sysext.js";
import { resolveSysext, sysextIgnition, validatePinnedBuild } from "./sysext.js";
import { FCOS_KUBERNETES } from "./versions.js";
import { zincatiIgnition } from "./zincati.js";

/** Fedora CoreOS's own settings, on top of the shared cluster arguments. */
export interface FcosOptions extends ignition.ExtraIgnitionOption {
  /** Update stream: stable, testing or next. Default `stable`. */
  stream?: FcosStream;
  /**
   * Where the image comes from when none is pinned: `stream-metadata` (the
   * stream's metadata, read once at deploy time and kept in state) or
   * `cloud` (the newest AMI of Fedora's account, the GCE family; no metadata
   * is read, so KVM needs `qemuImage`). Default `stream-metadata`.
   */
  imageSource?: "stream-metadata" | "cloud";
  /** Reading stream metadata: a mirror, and how long to wait. Default Fedora's server, 30 s. */
  streamMetadata?: { baseUrl?: string; timeoutSeconds?: number };
  /** A pinned AMI id. Default: the stream's AMI for the provider's region. */
  amiId?: string;
  /** A pinned GCE image name in `fedora-coreos-cloud`. Default: the stream's image. */
  gcpImage?: string;
  /** A pinned QEMU image (`.qcow2.xz`) and the SHA-256 of that file. Default: the stream's. */
  qemuImage?: { url: string; sha256: string };
  /** How nodes get Kubernetes and CRI-O: the community sysext, pinned or fetched on first boot. */
  sysext?: FcosSysextOptions;
}

/**
 * CRI-O from the sysext, with Fedora's configuration: systemd cgroup manager
 * (kubeadm's kubelet default), socket under /var/run/crio.
 */
const KUBEADM_DEFAULTS: kubeadm.KubeadmOsDefaults = {
  criSocket: "unix:///var/run/crio/crio.sock",
};

export const NAME = "fcos";
/** Where it has images and a config delivery. */
export const PLATFORMS: readonly MinosPlatform[] = ["aws", "gcp", "kvm"];
const DELIVERY = ignition.ignitionDelivery("opt/com.coreos/config");

/** Fedora CoreOS's options, checked and with their defaults: what its renderer and NodeOs are made of. */
export interface ResolvedFcosOptions {
  images: FcosImageOptions;
  sysext: ResolvedFcosSysext;
  extraIgnition: readonly object[];
}

/** Checks every Fedora CoreOS option, so bad input fails before anything is rendered or made. */
export function resolveFcosOptions(options: FcosOptions = {}): ResolvedFcosOptions {
  const images = resolveImageOptions(options);
  const sysext = resolveSysext("sysext", options.sysext);
  const extraIgnition = ignition.validateExtraIgnition("extraIgnition", options.extraIgnition);
  return { images, sysext, extraIgnition };
}

/**
 * Fedora CoreOS as `minos render` needs it, without the Pulumi SDK: Ignition
 * that brings Kubernetes and CRI-O as a system extension and runs kubeadm
 * once. Validates its options when made, as `fcosOs` does.
 */
export function fcosRenderer(options: FcosOptions = {}): NodeRenderer {
  return rendererOf(resolveFcosOptions(options));
}

/** The renderer for checked options; `fcosOs` adds images and add-ons to it. */
export function rendererOf({ images, sysext, extraIgnition }: ResolvedFcosOptions): NodeRenderer {
  return {
    name: NAME,
    optionKeys: optionKeys<FcosOptions>({
      stream: true,
      imageSource: true,
      streamMetadata: true,
      amiId: true,
      gcpImage: true,
      qemuImage: true,
      sysext: true,
      extraIgnition: true,
    }),
    platforms: PLATFORMS,
    kubernetes: FCOS_KUBERNETES,
    validate({ platform, kubernetes, arch, osUpdates }) {
      validatePinnedBuild("sysext", sysext, kubernetes, arch);
      refusePinsElsewhere(platform, images, { amiId: "aws", gcpImage: "gcp", qemuImage: "kvm" });
      checkImageAvailable(platform, arch, images);
      if (osUpdates.window)
        throw new MinosError(
          "osUpdates.window",
          osUpdates.window,
          "Zincati reboots either through a FleetLock server (one node at a time) or in periodic windows, " +
            'not both; leave the window out, or take updates yourself with mode "off"',
        );
    },
    // /opt is a link into /var here; the directory itself gets its SELinux label (`localVolumesIgnition`).
    localVolumePath: VAR_LOCAL_VOLUMES,
    delivery: (platform) => DELIVERY[platformOf(NAME, PLATFORMS, platform)],
    render: (role, ctx) => ({
      format: "ignition",
      payload: ignition.renderKubeadmIgnition(role, ctx, {
        kubeadm: KUBEADM_DEFAULTS,
        runtime: { unit: "crio.service", fromSysext: true },
        loginUser: "core",
        kubernetes: (c) => withLocalVolumes(sysextIgnition(c, sysext), c),
        updates: zincatiIgnition,
        extraIgnition,
      }),
    }),
  };
}

function resolveImageOptions(o: FcosOptions): FcosImageOptions {
  const stream = o.stream ?? "stable";
  if (!FCOS_STREAMS.includes(stream))
    throw new MinosError("stream", stream, `use one of ${FCOS_STREAMS.join(", ")}`);
  const source = o.imageSource ?? "stream-metadata";
  if (source !== "stream-metadata" && source !== "cloud")
    throw new MinosError("imageSource", source, 'use "stream-metadata" or "cloud"');
  if (o.streamMetadata !== undefined) {
    if (typeof o.streamMetadata !== "object" || o.streamMetadata === null)
      throw new MinosError("streamMetadata", o.streamMetadata, "use { baseUrl?, timeoutSeconds? }");
    refuseUnknownKeys("streamMetadata", o.streamMetadata, ["baseUrl", "timeoutSeconds"]);
  }
  const timeoutSeconds = o.streamMetadata?.timeoutSeconds ?? 30;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 600)
    throw new MinosError(
      "streamMetadata.timeoutSeconds",
      timeoutSeconds,
      "use a whole number of seconds from 1 to 600",
    );
  const baseUrl = o.streamMetadata?.baseUrl;
  if (o.amiId !== undefined) validateAmiId("amiId", o.amiId);
  if (o.gcpImage !== undefined)
    validateGceImageName("gcpImage", o.gcpImage, "fedora-coreos-43-20261102-3-0-gcp-x86-64");
  if (o.qemuImage !== undefined) {
    if (typeof o.qemuImage !== "object" || o.qemuImage === null)
      throw new MinosError("qemuImage", o.qemuImage, "use { url, sha256 }");
    refuseUnknownKeys("qemuImage", o.qemuImage, ["url", "sha256"]);
    validateHttpUrl("qemuImage.url", o.qemuImage.url);
    if (!o.qemuImage.url.endsWith(".qcow2.xz"))
      throw new MinosError("qemuImage.url", o.qemuImage.url, "use the URL of a .qcow2.xz image");
    if (typeof o.qemuImage.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(o.qemuImage.sha256))
      throw new MinosError("qemuImage.sha256", o.qemuImage.sha256, "use 64 hex digits");
  }
  return {
    stream,
    source,
    streamMetadata: {
      timeoutSeconds,
      ...(baseUrl !== undefined && { baseUrl: validateHttpUrl("streamMetadata.baseUrl", baseUrl) }),
    },
    ...(o.amiId !== undefined && { amiId: o.amiId }),
    ...(o.gcpImage !== undefined && { gcpImage: o.gcpImage }),
    ...(o.qemuImage !== undefined && { qemuImage: o.qemuImage }),
  };
}
