/**
 * `@minos/gcp`: Google Cloud as a minos platform, for clusters of any minos
 * OS and node groups joining them.
 */
export type { GcpExistingNetworkArgs, GcpNewNetworkArgs, GcpPlatformArgs } from "./args.js";
export { gcpDescription, METADATA_VALUE_LIMIT } from "./description.js";
export { GCP_HEALTH_CHECK_RANGES } from "./firewall.js";
export type { GcpSiteIds } from "./platform.js";
export { gcpPlatform as gcp } from "./platform.js";
