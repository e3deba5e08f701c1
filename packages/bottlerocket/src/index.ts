/**
 * @minos/bottlerocket: Bottlerocket workers for minos clusters and for EKS.
 * `BottlerocketNodeGroup` joins a cluster someone else runs (EKS through
 * `eksCluster` from `@minos/aws`); `bottlerocketOs` and the settings
 * renderer are exported for programs that assemble their own.
 */

export type { BottlerocketNodeGroupArgs } from "./node-group.js";
export { BottlerocketNodeGroup } from "./node-group.js";
export { bottlerocketOs } from "./node-os.js";
// Everything rendering needs, also at `@minos/bottlerocket/render` without the Pulumi SDK.
export * from "./render.js";
export { amiParameter } from "./variants.js";
