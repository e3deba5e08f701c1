import {
  MinosError,
  optionKeys,
  refuseUnknownKeys,
  validateAmiId,
  validatePatches,
} from "@minos/core/render";
import type { TalosImageOptions } from "./images.js";
import type { TalosFeatures } from "./machine-config.js";
import { DEFAULT_TALOS_VERSION, validateTalosVersion } from "./versions.js";

/** RFC 7386 merge patches over minos' machine config, applied in this order. */
export interface TalosConfigPatches {
  /** Every node. */
  all?: object[];
  /** Control-plane nodes. */
  controlPlane?: object[];
  /** Every worker. */
  workers?: object[];
  /** The workers of one pool, by pool name. */
  pools?: Record<string, object[]>;
}

/** Talos's own settings, on top of the shared cluster arguments. */
export interface TalosOptions {
  /** Talos release (1.13 line). Default `1.13.9`. */
  talosVersion?: string;
  /** Image Factory schematic id (extensions, kernel args). Default: plain Talos. */
  schematic?: string;
  /** A pinned AMI id. Default: Talos's own AMI for the version. */
  amiId?: string;
  /**
   * SHA-256 of the factory's `nocloud-<arch>.raw.xz` for this version and
   * schematic. Default none: the Image Factory publishes no digests, so the
   * image is trusted on HTTPS alone, and TalosCluster warns.
   */
  kvmImageSha256?: string;
  /** GCS location of the bucket the GCE image is imported from. Default `US`. */
  gcpImageBucketLocation?: string;
  /** Merge patches over the machine configs. Default none. */
  configPatches?: TalosConfigPatches;
  /** How long the etcd bootstrap call keeps trying. Default 1800 s. */
  bootstrapTimeoutSeconds?: number;
  /** The CNI: `flannel` (Talos deploys it), `cilium` (minos installs it), `none`. Default `flannel`. */
  cni?: "flannel" | "cilium" | "none";
  /** KubePrism, a load balancer to every API server on each node's port 7445. Default on. */
  kubePrism?: boolean;
  /** Talos's host DNS cache, which CoreDNS forwards to. Default on. */
  hostDns?: boolean;
  /**
   * Cluster discovery through Sidero's service (`discovery.talos.dev`; what
   * nodes publish there is encrypted with the cluster's secret). Default on;
   * off for nodes that cannot reach it.
   */
  discovery?: boolean;
  /**
   * How a control-plane node gets its machine config, which holds every
   * cluster CA key: `user-data` (EC2 user-data, the GCE `user-data`
   * metadata key, KVM's cidata ISO), where anyone who may read instance
   * attributes or metadata reads it too; or `machine-api` (AWS and GCP
   * only): the machine gets none, boots into Talos's maintenance mode, and
   * the cluster hands it the config over Talos's API through the load
   * balancer (see TalosConfigHandover). Workers keep theirs in user-data
   * (no CA key; a pool's machines come and go unseen). Default `user-data`.
   */
  controlPlaneDelivery?: "user-data" | "machine-api";
}

/** Talos's options, checked and with their defaults: what its renderer and NodeOs are made of. */
export interface ResolvedTalosOptions {
  talosVersion: string;
  cni: "flannel" | "cilium" | "none";
  features: TalosFeatures;
  timeoutSeconds: number;
  patches: {
    all: object[];
    controlPlane: object[];
    workers: object[];
    pools: Record<string, object[]>;
  };
  images: TalosImageOptions;
  /** The image pins as given, each for one platform. */
  pins: Pick<TalosOptions, "amiId" | "kvmImageSha256" | "gcpImageBucketLocation">;
  controlPlaneDelivery: "user-data" | "machine-api";
}

const PATCH_KEYS = optionKeys<TalosConfigPatches>({
  all: true,
  controlPlane: true,
  workers: true,
  pools: true,
});

/** A feature switch: on unless `false`. */
function switchOption(argument: string, value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== "boolean") throw new MinosError(argument, value, "use true or false");
  return value;
}

/** Checks every Talos option, so bad input fails before anything is rendered or made. */
export function resolveTalosOptions(options: TalosOptions = {}): ResolvedTalosOptions {
  const talosVersion = validateTalosVersion(
    "talosVersion",
    options.talosVersion ?? DEFAULT_TALOS_VERSION,
  );
  const { schematic } = options;
  if (
    schematic !== undefined &&
    (typeof schematic !== "string" || !/^[0-9a-f]{64}$/.test(schematic))
  )
    throw new MinosError(
      "schematic",
      schematic,
      "use an Image Factory schematic id (64 hex digits)",
    );
  if (options.amiId !== undefined) validateAmiId("amiId", options.amiId);
  if (options.kvmImageSha256 !== undefined && !/^[0-9a-f]{64}$/.test(options.kvmImageSha256))
    throw new MinosError("kvmImageSha256", options.kvmImageSha256, "use 64 hex digits");
  const cni = options.cni ?? "flannel";
  if (cni !== "flannel" && cni !== "cilium" && cni !== "none")
    throw new MinosError("cni", cni, 'use "flannel", "cilium" or "none"');
  const features = {
    kubePrism: switchOption("kubePrism", options.kubePrism),
    hostDns: switchOption("hostDns", options.hostDns),
    discovery: switchOption("discovery", options.discovery),
  };
  const timeoutSeconds = options.bootstrapTimeoutSeconds ?? 1800;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 10 || timeoutSeconds > 7200)
    throw new MinosError(
      "bootstrapTimeoutSeconds",
      timeoutSeconds,
      "use whole seconds from 10 to 7200",
    );
  const p = options.configPatches ?? {};
  if (typeof p !== "object" || p === null || Array.isArray(p))
    throw new MinosError(
      "configPatches",
      p,
      "use { all?, controlPlane?, workers?, pools? }, each a list of merge patches",
    );
  refuseUnknownKeys("configPatches", p, PATCH_KEYS);
  if (p.pools !== undefined && (typeof p.pools !== "object" || p.pools === null))
    throw new MinosError("configPatches.pools", p.pools, "use an object of pool name to patches");
  const patches = {
    all: validatePatches("configPatches.all", p.all),
    controlPlane: validatePatches("configPatches.controlPlane", p.controlPlane),
    workers: validatePatches("configPatches.workers", p.workers),
    pools: Object.fromEntries(
      Object.entries(p.pools ?? {}).map(([pool, list]) => [
        pool,
        validatePatches(`configPatches.pools.${pool}`, list),
      ]),
    ),
  };
  const images = {
    talosVersion,
    ...(schematic !== undefined && { schematic }),
    gcpBucketLocation: gcsLocation(options.gcpImageBucketLocation),
    ...(options.amiId !== undefined && { amiId: options.amiId }),
    ...(options.kvmImageSha256 !== undefined && { kvmImageSha256: options.kvmImageSha256 }),
  };

  const controlPlaneDelivery = options.controlPlaneDelivery ?? "user-data";
  if (controlPlaneDelivery !== "user-data" && controlPlaneDelivery !== "machine-api")
    throw new MinosError(
      "controlPlaneDelivery",
      controlPlaneDelivery,
      'use "user-data" (the default) or "machine-api" (handed over Talos\'s API; AWS and GCP)',
    );

  const { amiId, kvmImageSha256, gcpImageBucketLocation } = options;
  const pins = { amiId, kvmImageSha256, gcpImageBucketLocation };
  return {
    talosVersion,
    cni,
    features,
    timeoutSeconds,
    patches,
    images,
    pins,
    controlPlaneDelivery,
  };
}

/** Where GCE's import copy of the image is kept: a GCS location name. */
function gcsLocation(value: unknown): string {
  if (value === undefined) return "US";
  if (typeof value !== "string" || !/^[A-Za-z][-A-Za-z0-9]*$/.test(value))
    throw new MinosError(
      "gcpImageBucketLocation",
      value,
      'use a GCS location like "US" or "europe-west1"',
    );
  return value;
}
