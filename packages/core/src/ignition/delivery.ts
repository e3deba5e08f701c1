import { createHash } from "node:crypto";
import type { ConfigDelivery } from "../contracts/image.js";
import { canonicalJson } from "./canonical-json.js";
import { IGNITION_VERSION } from "./types.js";

/**
 * A config that only points at the real one, pinned by its SHA-512: Ignition
 * fetches `source` (`s3://`, `gs://`, `https://`), checks the hash and uses
 * it instead. It carries no secret, fits any user-data limit, and changes
 * whenever the real config does.
 */
export function ignitionPointer(source: string, payload: string): string {
  const hash = createHash("sha512").update(payload).digest("hex");
  return canonicalJson({
    ignition: {
      version: IGNITION_VERSION,
      config: { replace: { source, verification: { hash: `sha512-${hash}` } } },
    },
  });
}

/**
 * Where Ignition looks for its config on each platform: EC2 user-data, the
 * GCE metadata key `user-data`, and on QEMU a fw_cfg entry whose name each
 * OS chooses (its own, e.g. `opt/com.coreos/config`). On AWS and GCP
 * Ignition follows a pointer to S3 or Cloud Storage, so the payload stays
 * out of EC2 user-data and instance metadata, which read-only roles and
 * (on GCE) pods can read.
 */
export function ignitionDelivery(fwCfgKey: string): Record<"aws" | "gcp" | "kvm", ConfigDelivery> {
  return {
    aws: { kind: "user-data", pointer: ignitionPointer },
    gcp: { kind: "metadata", key: "user-data", pointer: ignitionPointer },
    kvm: { kind: "fw_cfg", key: fwCfgKey },
  };
}
