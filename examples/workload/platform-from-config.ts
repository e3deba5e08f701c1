import { aws } from "@minos/aws";
import type { Platform } from "@minos/core";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import * as pulumi from "@pulumi/pulumi";

/**
 * The platform a stack's config names (`platform`: kvm, aws or gcp; default
 * kvm), so one example runs the same cluster anywhere. kvm reads `uri`,
 * `pool` and `cidr`; aws and gcp read `apiAllowedCidrs` (the world unless
 * narrowed) and gcp `gcp:region`.
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
      return kvm({
        uri: config.get("uri") ?? "qemu:///system",
        pool: config.get("pool") ?? "default",
        cidr: config.get(defaults.cidrKey ?? "cidr") ?? defaults.cidr,
      });
    case "aws":
      return aws({ apiAllowedCidrs });
    case "gcp":
      return gcp({ region: new pulumi.Config("gcp").require("region"), apiAllowedCidrs });
    default:
      throw new Error(
        `minos example: platform must be kvm, aws or gcp, not ${JSON.stringify(name)}`,
      );
  }
}
