/**
 * @minos/flatcar/render: Flatcar's renderer, for rendering payloads without
 * loading the Pulumi SDK (`minos render`). `flatcarOs` builds on it.
 */
export { FLATCAR_CHANNELS, type FlatcarChannel } from "./channels.js";
export { type FlatcarOptions, flatcarRenderer } from "./node-renderer.js";
export { DEFAULT_SYSEXT_BASE_URL, type KubernetesSysextOptions, sysextFileName } from "./sysext.js";
export { FLATCAR_KUBERNETES } from "./versions.js";
