/**
 * @minos/fcos/render: Fedora CoreOS's renderer, for rendering payloads
 * without loading the Pulumi SDK (`minos render`). `fcosOs` builds on it.
 */
export { type FcosOptions, fcosRenderer } from "./node-renderer.js";
export { FCOS_STREAMS, type FcosStream } from "./stream.js";
export { type FcosSysextOptions, type ResolvedFcosSysext, sysextName } from "./sysext.js";
export { DEFAULT_SYSEXT_BASE_URL, FCOS_KUBERNETES } from "./versions.js";
