import type { Platform } from "@minos/core";
import type { ConfigKey } from "./config-key.js";
import { configKey } from "./config-key.js";
import { ConfigError } from "./example-config.js";

/** The platforms an example with a `platform` key runs on. */
export const PLATFORMS = ["kvm", "aws", "gcp"] as const;

/** The keys `platformFromConfig` reads: `platform`, `uri`, `pool`, `apiAllowedCidrs`, `gcp:region`. */
export interface PlatformConfig {
  readonly platform: (typeof PLATFORMS)[number];
  readonly uri: string;
  readonly pool: string;
  readonly apiAllowedCidrs: string[];
  readonly "gcp:region": string | undefined;
  /** The KVM network, where the program has one cluster (`platformKeys({ cidr })`). */
  readonly cidr?: string;
}

/**
 * The config keys `platformFromConfig` reads, to spread into an example's
 * `exampleConfig`: `platform` (kvm, aws or gcp; default kvm), kvm's `uri`,
 * `pool` and one network key per cluster with its default
 * (`{ cidr: "10.78.0.0/24" }`), aws's and gcp's `apiAllowedCidrs` (the world
 * unless narrowed), gcp's `gcp:region`.
 */
export function platformKeys<C extends Record<string, string>>(
  cidrs: C,
): {
  platform: ConfigKey<PlatformConfig["platform"]>;
  uri: ConfigKey<string>;
  pool: ConfigKey<string>;
  apiAllowedCidrs: ConfigKey<string[]>;
  "gcp:region": ConfigKey<string | undefined>;
} & { [K in keyof C]: ConfigKey<string> } {
  const networks = Object.fromEntries(
    Object.entries(cidrs).map(([name, cidr]) => [
      name,
      configKey.string(
        name === "cidr"
          ? "kvm: the cluster's NAT network; one per cluster on a host"
          : `kvm: the ${name.replace(/Cidr$/, "")} cluster's NAT network`,
        { default: cidr },
      ),
    ]),
  ) as { [K in keyof C]: ConfigKey<string> };
  return {
    platform: configKey.oneOf(PLATFORMS, "`kvm`, `aws` or `gcp`", { default: "kvm" }),
    uri: configKey.string("kvm: libvirt connection", { default: "qemu:///system" }),
    pool: configKey.string("kvm: storage pool for images, disks and first-boot payloads", {
      default: "default",
    }),
    apiAllowedCidrs: configKey.list(
      "aws, gcp: who may reach the API (open to the world unless you narrow it)",
      { default: ["0.0.0.0/0"] },
    ),
    "gcp:region": configKey.string("gcp: the region to deploy in (required there)"),
    ...networks,
  };
}

/**
 * The platform a stack's config names, from the keys `platformKeys`
 * declared, so one example runs the same cluster anywhere. `cidr` is the
 * KVM network of this cluster (default the config's `cidr`).
 *
 * Each platform package is an optional peer, loaded only when picked: a
 * program that runs on KVM alone lists `@minos/kvm` and installs no cloud
 * SDK.
 */
export function platformFromConfig(config: PlatformConfig, cidr = config.cidr): Platform {
  // Every key read up front: each is the program's whichever platform it picks.
  const { platform, uri, pool, apiAllowedCidrs } = config;
  const region = config["gcp:region"];
  switch (platform) {
    case "kvm":
      if (cidr === undefined) throw new Error("minos example: platformFromConfig needs a cidr");
      return platformPackage<typeof import("@minos/kvm")>("@minos/kvm").kvm({ uri, pool, cidr });
    case "aws":
      return platformPackage<typeof import("@minos/aws")>("@minos/aws").aws({ apiAllowedCidrs });
    case "gcp":
      if (region === undefined)
        throw new ConfigError(
          "config gcp:region",
          region,
          "platform gcp needs it: pulumi config set gcp:region <region>",
        );
      return platformPackage<typeof import("@minos/gcp")>("@minos/gcp").gcp({
        region,
        apiAllowedCidrs,
      });
  }
}

/** A platform package the program lists, or an error saying which to add. */
function platformPackage<T>(name: string): T {
  try {
    return require(name) as T;
  } catch (error) {
    if ((error as { code?: string }).code !== "MODULE_NOT_FOUND") throw error;
    throw new Error(
      `minos example: platform ${name.slice("@minos/".length)} needs ${name}; add it to the program (npm install ${name})`,
    );
  }
}
