import type { NodeRenderer, NodeRole } from "@minos/core/render";
import { MinosError, validateAmiId } from "@minos/core/render";
import { checkClusterCni } from "./cni.js";
import type { JoinMode, SettingsOptions } from "./settings.js";
import { bottlerocketSettings, renderSettings } from "./settings.js";
import { validateSettings } from "./settings-model.js";
import type { BottlerocketFlavor } from "./variants.js";
import { bottlerocketVariant } from "./variants.js";

/** Bottlerocket's own settings, beside the pools and the cluster to join. */
export interface BottlerocketOptions {
  /** Variant flavor: `standard`, `nvidia` or `fips`. Default `standard`. */
  flavor?: BottlerocketFlavor;
  /** A pinned AMI id. Default: the variant's newest, from AWS's public SSM parameter. */
  amiId?: string;
  /** The control host container (SSM agent). Default enabled. */
  controlContainer?: boolean;
  /** The admin host container (a root shell). Default disabled. */
  adminContainer?: boolean;
  /** Pods per node. Default: Bottlerocket's own. */
  maxPods?: number;
  /** Kernel parameters (`settings.kernel.sysctl`). Default none. */
  sysctls?: Record<string, string>;
  /**
   * Bottlerocket settings merged last, under `settings` (RFC 7386: `null`
   * removes a key), e.g. `{ kubernetes: { "eviction-hard": { ... } } }`.
   * Default none.
   */
  extraSettings?: Record<string, unknown>;
}

/** Bottlerocket's options, checked and with their defaults: what its renderer and NodeOs are made of. */
export interface ResolvedBottlerocketOptions {
  /** The variant for the cluster's Kubernetes release and the flavor. */
  variant: string;
  settings: SettingsOptions;
}

/** Checks every Bottlerocket option, so bad input fails before anything is rendered or made. */
export function resolveBottlerocketOptions(
  options: BottlerocketOptions,
  kubernetesVersion: string,
): ResolvedBottlerocketOptions {
  if (typeof options !== "object" || options === null)
    throw new MinosError("options", options, "pass Bottlerocket's options as an object");
  const variant = bottlerocketVariant(kubernetesVersion, options.flavor ?? "standard");
  if (options.amiId !== undefined) validateAmiId("amiId", options.amiId);
  if (
    options.maxPods !== undefined &&
    (!Number.isInteger(options.maxPods) || options.maxPods < 1 || options.maxPods > 1024)
  )
    throw new MinosError("maxPods", options.maxPods, "use a whole number from 1 to 1024");
  for (const key of ["controlContainer", "adminContainer"] as const)
    if (options[key] !== undefined && typeof options[key] !== "boolean")
      throw new MinosError(key, options[key], "use true or false");
  const settings: SettingsOptions = {
    controlContainer: options.controlContainer ?? true,
    adminContainer: options.adminContainer ?? false,
    ...(options.maxPods !== undefined && { maxPods: options.maxPods }),
    sysctls: record("sysctls", options.sysctls),
    extraSettings: record("extraSettings", options.extraSettings),
  };
  // What Bottlerocket's settings model would refuse at boot, refused now.
  for (const [name, value] of Object.entries(settings.sysctls))
    if (typeof value !== "string")
      throw new MinosError(
        `sysctls.${name}`,
        value,
        'use a string, e.g. "1": Bottlerocket takes sysctl values as strings',
      );
  validateSettings("extraSettings", settings.extraSettings);
  return { variant, settings };
}

/**
 * Bottlerocket as `minos render` needs it, without the Pulumi SDK: a worker's
 * settings TOML for user data on AWS; refuses a cluster whose CNI it cannot
 * run. Validates its options when made, as `bottlerocketOs` does.
 */
export function bottlerocketRenderer(
  options: BottlerocketOptions,
  join: JoinMode,
  kubernetesVersion: string,
): NodeRenderer {
  return rendererOf(resolveBottlerocketOptions(options, kubernetesVersion), join);
}

/** The renderer for checked options; `bottlerocketOs` adds images to it. */
export function rendererOf(
  { settings }: ResolvedBottlerocketOptions,
  join: JoinMode,
): NodeRenderer {
  return {
    name: "bottlerocket",
    platforms: ["aws"],
    // Joining a minos cluster: its CNI must be one Bottlerocket can run.
    validate: (cluster) => checkClusterCni(cluster.cni),
    delivery: (platform) => {
      if (platform !== "aws") throw unsupported(platform);
      return { kind: "user-data" };
    },
    render(role: NodeRole, ctx) {
      if (role !== "worker")
        throw new MinosError(
          "role",
          role,
          "Bottlerocket nodes are workers: they join a control plane",
        );
      return {
        format: "bottlerocket-toml",
        payload: renderSettings(bottlerocketSettings(ctx, join, settings)),
      };
    },
  };
}

/** GCP and KVM: say why before anything is made. */
export function unsupported(platform: string): MinosError {
  return new MinosError(
    "platform",
    platform,
    platform === "gcp"
      ? "Bottlerocket publishes no GCE images; use aws"
      : "Bottlerocket has no Kubernetes variant for local QEMU/KVM that joins a cluster (its metal variants are gone and metal-dev does not join); use aws",
  );
}

function record(argument: string, value: unknown): Record<string, never> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new MinosError(argument, value, "use an object");
  return value as Record<string, never>;
}
