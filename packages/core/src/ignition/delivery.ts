import type { PlatformName } from "../contracts/bootstrap.js";
import type { ConfigDelivery } from "../contracts/image.js";

/**
 * Where Ignition looks for its config on each platform: EC2 user-data, the
 * GCE metadata key `user-data`, and on QEMU a fw_cfg entry whose name each
 * OS chooses (its own, e.g. `opt/com.coreos/config`).
 */
export function ignitionDelivery(fwCfgKey: string): Record<PlatformName, ConfigDelivery> {
  return {
    aws: { kind: "user-data", ignitionPointer: true },
    gcp: { kind: "metadata", key: "user-data" },
    kvm: { kind: "fw_cfg", key: fwCfgKey },
  };
}
