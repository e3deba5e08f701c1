/**
 * @minos/fcos: Fedora CoreOS for minos. `FcosCluster` is a minos Cluster of
 * Fedora CoreOS nodes; `fcosOs` is the NodeOs behind it, for NodeGroups and
 * for rendering configs without a cluster.
 */
export { FcosCluster, type FcosClusterArgs } from "./cluster.js";
export { fleetlock } from "./fleetlock.js";
export { FCOS_AWS_OWNER, FCOS_GCP_PROJECT, fcosImage } from "./images.js";
export { type FcosOptions, fcosOs } from "./node-os.js";
export { fcosRenderer } from "./node-renderer.js";
export {
  FCOS_STREAMS,
  type FcosImages,
  type FcosStream,
  fetchStream,
  imagesFromStream,
  STREAM_BASE_URL,
} from "./stream.js";
export { StreamImages, type StreamImagesArgs } from "./stream-images.js";
export {
  type FcosSysextOptions,
  parseBuildName,
  type ResolvedFcosSysext,
  resolveSysext,
  type SysextBuild,
  sysextIgnition,
  sysextName,
  validatePinnedBuild,
} from "./sysext.js";
export {
  DEFAULT_SYSEXT_BASE_URL,
  FCOS_KUBERNETES,
  FLEETLOCK_IMAGE,
} from "./versions.js";
export { fleetlockAddress, ZINCATI_GROUPS, zincatiIgnition } from "./zincati.js";
