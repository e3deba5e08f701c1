import type { Platform } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/**
 * The platform a stack's config names (`platform`: kvm, aws or gcp; default
 * kvm), so one example runs the same cluster anywhere. kvm reads `uri`,
 * `pool` and `cidr`; aws and gcp read `apiAllowedCidrs` (the world unless
 * narrowed) and gcp `gcp:region`.
 *
 * Each platform package is an optional peer, loaded only when picked: a
 * program that runs on KVM alone lists `@minos/kvm` and installs no cloud
 * SDK.
 */
export function platformFromConfig(defaults: {
  cidr: string;
  /** The config key that may override `cidr`. Default `cidr`. */
  cidrKey?: string;
}): Platform {
  const config = new pulumi.Config();
  const apiAllowedCidrs = config.getObject<string[]>("apiAllowedCidrs") ?? ["0.0.0.0/0"];
  const name = config.get("platform") ?? "kvm";
  switch (name) {
    case "kvm":
      return platformPackage<typeof import("@minos/kvm")>("@minos/kvm").kvm({
        uri: config.get("uri") ?? "qemu:///system",
        pool: config.get("pool") ?? "default",
        cidr: config.get(defaults.cidrKey ?? "cidr") ?? defaults.cidr,
      });
    case "aws":
      return platformPackage<typeof import("@minos/aws")>("@minos/aws").aws({ apiAllowedCidrs });
    case "gcp":
      return platformPackage<typeof import("@minos/gcp")>("@minos/gcp").gcp({
        region: new pulumi.Config("gcp").require("region"),
        apiAllowedCidrs,
      });
    default:
      throw new Error(
        `minos example: platform must be kvm, aws or gcp, not ${JSON.stringify(name)}`,
      );
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
