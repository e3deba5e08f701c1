/**
 * @minos/flatcar/render: Flatcar's renderer, for rendering payloads without
 * loading the Pulumi SDK (`minos render`). `flatcarOs` builds on it.
 */
export type { FlatcarChannel } from "./channels.js";
export { FLATCAR_CHANNELS } from "./channels.js";
export type { FlatcarOptions } from "./node-renderer.js";
export { flatcarRenderer } from "./node-renderer.js";
export type { KubernetesSysextOptions } from "./sysext.js";
export { DEFAULT_SYSEXT_BASE_URL, sysextFileName } from "./sysext.js";
export { FLATCAR_KUBERNETES } from "./versions.js";
