import type {
  BootstrapContext,
  kubeadm,
  MinosPlatform,
  NodeConfig,
  NodeRenderer,
  NodeRole,
} from "@minos/core/render";
import {
  ignition,
  optionKeys,
  platformOf,
  refusePinsElsewhere,
  VAR_LOCAL_VOLUMES,
  validateAmiId,
  validateGceImageName,
} from "@minos/core/render";
import type { FlatcarChannel } from "./channels.js";
import { validateChannel } from "./channels.js";
import { gcpAmd64Only } from "./images.js";
import type { KubernetesSysextOptions } from "./sysext.js";
import { refuseOtherPins, resolveSysext, sysextIgnition } from "./sysext.js";
import { flatcarUpdates } from "./updates.js";
import { FLATCAR_KUBERNETES } from "./versions.js";

/** Flatcar's own settings, on top of the shared cluster arguments. */
export interface FlatcarOptions extends ignition.ExtraIgnitionOption {
  /** Release channel: stable, beta, alpha or lts. Default `stable`. */
  channel?: FlatcarChannel;
  /** Where the Kubernetes sysext comes from and how it is pinned and updated. */
  sysext?: KubernetesSysextOptions;
  /** A pinned AMI id instead of the channel's newest. Default: looked up per channel and architecture. */
  amiId?: string;
  /** A pinned GCE image name in Flatcar's project instead of the channel family's newest. */
  gcpImage?: string;
}

/** Flatcar's options, checked and with their defaults: what its renderer and NodeOs are made of. */
export interface ResolvedFlatcarOptions {
  channel: FlatcarChannel;
  sysext: Required<KubernetesSysextOptions>;
  amiId: string | undefined;
  gcpImage: string | undefined;
  extraIgnition: readonly object[];
}

/**
 * containerd ships with Flatcar. The sysext's kubelet unit copies CNI
 * plugins to a writable /opt/cni/bin and links the default volume-plugin
 * directory to /var, so kubelet needs no path overrides.
 */
const KUBEADM_DEFAULTS: kubeadm.KubeadmOsDefaults = {
  criSocket: "unix:///run/containerd/containerd.sock",
};

/** Flatcar reads its own fw_cfg key first and falls back to opt/com.coreos/config. */
export const NAME = "flatcar";
/** Where it has images and a config delivery. */
export const PLATFORMS: readonly MinosPlatform[] = ["aws", "gcp", "kvm"];
const DELIVERY = ignition.ignitionDelivery("opt/org.flatcar-linux/config");

/** Checks every Flatcar option, so bad input fails before anything is rendered or made. */
export function resolveFlatcarOptions(options: FlatcarOptions = {}): ResolvedFlatcarOptions {
  const channel = validateChannel("channel", options.channel ?? "stable");
  const sysext = resolveSysext("sysext", options.sysext);
  const amiId = options.amiId === undefined ? undefined : validateAmiId("amiId", options.amiId);
  const gcpImage =
    options.gcpImage === undefined
      ? undefined
      : validateGceImageName("gcpImage", options.gcpImage, "flatcar-stable-4230-2-3");
  const extraIgnition = ignition.validateExtraIgnition("extraIgnition", options.extraIgnition);
  return { channel, sysext, amiId, gcpImage, extraIgnition };
}

/**
 * Flatcar as `minos render` needs it, without the Pulumi SDK: Ignition that
 * installs Kubernetes from a systemd-sysext and runs kubeadm once.
 * Validates its options when made, as `flatcarOs` does.
 */
export function flatcarRenderer(options: FlatcarOptions = {}): NodeRenderer {
  return rendererOf(resolveFlatcarOptions(options));
}

/** The renderer for checked options; `flatcarOs` adds images and add-ons to it. */
export function rendererOf({
  sysext,
  extraIgnition,
  amiId,
  gcpImage,
}: ResolvedFlatcarOptions): NodeRenderer {
  return {
    name: NAME,
    optionKeys: optionKeys<FlatcarOptions>({
      channel: true,
      sysext: true,
      amiId: true,
      gcpImage: true,
      extraIgnition: true,
    }),
    platforms: PLATFORMS,
    kubernetes: FLATCAR_KUBERNETES,
    validate({ platform, arch, kubernetes, joining }) {
      refusePinsElsewhere(platform, { amiId, gcpImage }, { amiId: "aws", gcpImage: "gcp" });
      // A joining group renders the control plane's release, not the one it asks for.
      if (!joining) refuseOtherPins(sysext, kubernetes, arch);
      // A pinned image is the user's to match; the channel's has no arm64 GCE build.
      if (platform === "gcp" && arch !== "amd64" && !gcpImage) gcpAmd64Only(arch);
    },
    // / is the writable ROOT partition (only /usr is read-only), SELinux is permissive: nothing to prepare.
    localVolumePath: VAR_LOCAL_VOLUMES,
    delivery: (platform) => DELIVERY[platformOf(NAME, PLATFORMS, platform)],
    render: (role, ctx) => renderFlatcar(role, ctx, sysext, extraIgnition),
  };
}

function renderFlatcar(
  role: NodeRole,
  ctx: BootstrapContext,
  sysext: Required<KubernetesSysextOptions>,
  extraIgnition: readonly object[],
): NodeConfig {
  const payload = ignition.renderKubeadmIgnition(role, ctx, {
    kubeadm: KUBEADM_DEFAULTS,
    runtime: { unit: "containerd.service" },
    loginUser: "core",
    // kubelet is the sysext's to start: it ships kubelet.service and a
    // multi-user.target drop-in that upholds it once the image is merged.
    kubernetes: (c) => sysextIgnition(c.kubernetes, c.arch, sysext),
    updates: flatcarUpdates,
    extraIgnition,
  });
  return { payload, format: "ignition" };
}
