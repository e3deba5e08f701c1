/**
 * @minos/fcos: Fedora CoreOS for minos. `FcosCluster` is a minos Cluster of
 * Fedora CoreOS nodes; `fcosOs` is the NodeOs behind it, for NodeGroups and
 * for rendering configs without a cluster.
 */

export type { FcosClusterArgs } from "./cluster.js";
export { FcosCluster } from "./cluster.js";
export { fleetlock } from "./fleetlock.js";
export { FCOS_AWS_OWNER, FCOS_GCP_PROJECT, fcosImage } from "./images.js";
export { fcosOs } from "./node-os.js";
// Everything rendering needs, also at `@minos/fcos/render` without the Pulumi SDK.
export * from "./render.js";
export type { FcosImages } from "./stream.js";
export { fetchStream, imagesFromStream, STREAM_BASE_URL } from "./stream.js";
export type { StreamImagesArgs } from "./stream-images.js";
export { StreamImages } from "./stream-images.js";
export type { SysextBuild } from "./sysext.js";
export { parseBuildName, resolveSysext, sysextIgnition, validatePinnedBuild } from "./sysext.js";
export { FLEETLOCK_IMAGE } from "./versions.js";
export { fleetlockAddress, ZINCATI_GROUPS, zincatiIgnition } from "./zincati.js";
