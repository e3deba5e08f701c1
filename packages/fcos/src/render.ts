/**
 * @minos/fcos/render: Fedora CoreOS's renderer, for rendering payloads
 * without loading the Pulumi SDK (`minos render`). `fcosOs` builds on it.
 */
export type { FcosOptions } from "./node-renderer.js";
export { fcosRenderer } from "./node-renderer.js";
export type { FcosStream } from "./stream.js";
export { FCOS_STREAMS } from "./stream.js";
export type { FcosSysextOptions, ResolvedFcosSysext } from "./sysext.js";
export { sysextName } from "./sysext.js";
export { DEFAULT_SYSEXT_BASE_URL, FCOS_KUBERNETES } from "./versions.js";
