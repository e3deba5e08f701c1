/**
 * `@minos/core/gcp`: the Google Cloud platform. A separate entry point, so
 * programs for other platforms never load the GCP SDK.
 */
export type {
  GcpExistingNetworkArgs,
  GcpNewNetworkArgs,
  GcpPlatformArgs,
} from "./platforms/gcp/args.js";
export { GCP_HEALTH_CHECK_RANGES } from "./platforms/gcp/firewall.js";
export { gcpPlatform as gcp } from "./platforms/gcp/index.js";
