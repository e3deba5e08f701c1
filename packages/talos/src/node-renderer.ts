import type { ConfigDelivery, MinosPlatform, NodeRenderer, NodeRole } from "@minos/core/render";
import {
  MinosError,
  optionKeys,
  platformOf,
  refusePinsElsewhere,
  VAR_LOCAL_VOLUMES,
} from "@minos/core/render";
import type { TalosImageOptions } from "./images.js";
import { AWS_AMI_SCHEMATIC } from "./images.js";
import { machineConfig, renderMachineConfig, virtualIpDocuments } from "./machine-config.js";
import type { ResolvedTalosOptions, TalosOptions } from "./options.js";
import { resolveTalosOptions } from "./options.js";
import { redactConfig } from "./redact.js";
import type { TalosSecretMaterial } from "./secrets.js";
import { TALOS_KUBERNETES } from "./versions.js";

/** Talos as `minos render` sees it, and the release it runs. */
export interface TalosRenderer extends NodeRenderer {
  /** The Talos release the cluster runs. */
  readonly talosVersion: string;
}

export const NAME = "talos";
/** Where it has images and a config delivery. */
export const PLATFORMS: readonly MinosPlatform[] = ["aws", "gcp", "kvm"];
/** How Talos finds its machine config on each platform. */
const DELIVERY: Record<MinosPlatform, ConfigDelivery> = {
  aws: { kind: "user-data" },
  gcp: { kind: "metadata", key: "user-data" },
  kvm: { kind: "cidata" },
};

/** Where a control-plane config can be handed over Talos's API: behind a cloud load balancer. */
const MACHINE_API_PLATFORMS: readonly MinosPlatform[] = ["aws", "gcp"];

/** Refuses `machine-api` delivery where there is nothing to gain or no balancer to reach nodes through. */
function refuseMachineApiOn(platform: string): void {
  if (!MACHINE_API_PLATFORMS.includes(platform as MinosPlatform))
    throw new MinosError(
      "controlPlaneDelivery",
      "machine-api",
      `use it on ${MACHINE_API_PLATFORMS.join(" or ")}, not ${platform}: there the config sits where no cloud reader sees it (KVM: a cidata ISO in the libvirt pool); use "user-data"`,
    );
}

/**
 * Talos Linux as `minos render` needs it, without the Pulumi SDK: a v1alpha1
 * machine config per role and pool, from the cluster's and Talos's own
 * secrets (`ctx.osSecrets`). Validates its options when made, as `talosOs` does.
 */
export function talosRenderer(options: TalosOptions = {}): TalosRenderer {
  return rendererOf(resolveTalosOptions(options));
}

/** The renderer for checked options; `talosOs` adds images, secrets and its API calls to it. */
export function rendererOf({
  talosVersion,
  cni,
  features,
  patches,
  pins,
  images,
  controlPlaneDelivery,
}: ResolvedTalosOptions): TalosRenderer {
  return {
    name: NAME,
    optionKeys: optionKeys<TalosOptions>({
      talosVersion: true,
      schematic: true,
      amiId: true,
      kvmImageSha256: true,
      gcpImageBucketLocation: true,
      configPatches: true,
      bootstrapTimeoutSeconds: true,
      cni: true,
      kubePrism: true,
      hostDns: true,
      discovery: true,
      controlPlaneDelivery: true,
    }),
    platforms: PLATFORMS,
    kubernetes: TALOS_KUBERNETES,
    validate: ({ platform }) => {
      refusePinsElsewhere(platform, pins, {
        amiId: "aws",
        kvmImageSha256: "kvm",
        gcpImageBucketLocation: "gcp",
      });
      if (controlPlaneDelivery === "machine-api") refuseMachineApiOn(platform);
      refuseSchematicBesideAmis(platform, images);
    },
    // Talos deploys flannel itself; Cilium is installed by minos on a config without a CNI.
    providesCni: (wanted) => wanted === "flannel" && cni === "flannel",
    // Only /var is writable; the machine config mounts it into the kubelet (`machineConfig`).
    localVolumePath: VAR_LOCAL_VOLUMES,
    unavailableServices: (platform) =>
      platform === "gcp"
        ? {
            // gcp-compute-persistent-disk-csi-driver's node plugin (v1.26.4 node.yaml).
            volumes:
              "the persistent-disk driver's node plugin mounts the host's /etc/udev (a hostPath of type Directory), which Talos's read-only root does not have, so it would never start; bring a volume provisioner that runs on Talos",
          }
        : {},
    talosVersion,
    delivery: (platform, role) => {
      const stored = DELIVERY[platformOf(NAME, PLATFORMS, platform)];
      if (controlPlaneDelivery === "user-data" || role === undefined || role === "worker")
        return stored;
      refuseMachineApiOn(platform);
      return { kind: "machine-api" };
    },
    render(role: NodeRole, ctx) {
      const talos = ctx.osSecrets as TalosSecretMaterial | undefined;
      if (!talos)
        throw new Error("minos: Talos machine configs need Talos's secrets; none were passed");
      const config = machineConfig(role, ctx, talos, {
        talosVersion,
        // Talos deploys only flannel; for Cilium its config names no CNI.
        cni: cni === "flannel" ? "flannel" : "none",
        features,
        patches: [
          ...patches.all,
          ...(role === "worker" ? patches.workers : patches.controlPlane),
          ...(role === "worker" ? (patches.pools[ctx.node.pool] ?? []) : []),
        ],
      });
      const documents = virtualIpDocuments(role, ctx);
      return {
        format: "talos",
        payload: renderMachineConfig(config, documents),
        redacted: renderMachineConfig(redactConfig(config) as Record<string, unknown>, documents),
      };
    },
  };
}

/**
 * On AWS nodes boot Talos's own AMIs unless one is pinned, and those carry
 * Talos's AWS schematic: another would reach nodes only at their first
 * upgrade, and what the AMI carries would be lost then. One schematic per
 * cluster: the AMIs' (the default), or an AMI built from yours.
 */
function refuseSchematicBesideAmis(platform: string, images: TalosImageOptions): void {
  if (
    platform === "aws" &&
    images.amiId === undefined &&
    images.schematic !== undefined &&
    images.schematic !== AWS_AMI_SCHEMATIC
  )
    throw new MinosError(
      "schematic",
      images.schematic,
      `on aws nodes boot Talos's AMIs, built from schematic ${AWS_AMI_SCHEMATIC}, and would take yours only at their first upgrade; leave schematic out, or give amiId of an AMI built from yours (the Image Factory's aws image, imported)`,
    );
}
