import type { PayloadLimit, PlatformDescription } from "@minos/core";

/** GCE's limit on one metadata value. */
export const METADATA_VALUE_LIMIT: PayloadLimit = {
  bytes: 262_144,
  what: "GCE metadata value limit",
};

/** Google Cloud without any resource: what `minos render` asks. */
export const gcpDescription: PlatformDescription = {
  name: "gcp",
  payloadLimit: () => METADATA_VALUE_LIMIT,
};
