/**
 * @minos/bottlerocket/render: Bottlerocket's renderer, for rendering
 * payloads without loading the Pulumi SDK (`minos render`). `bottlerocketOs`
 * builds on it.
 */
export { checkClusterCni } from "./cni.js";
export type { BottlerocketOptions } from "./node-renderer.js";
export { bottlerocketRenderer } from "./node-renderer.js";
export type { JoinMode, SettingsOptions } from "./settings.js";
export { bottlerocketSettings, NODE_NAME_SOURCE, renderSettings } from "./settings.js";
export { BOTTLEROCKET_SETTINGS, undocumentedSettings, validateSettings } from "./settings-model.js";
export type { BottlerocketFlavor } from "./variants.js";
export { bottlerocketVariant } from "./variants.js";
export { BOTTLEROCKET_KUBERNETES_MINORS } from "./versions.js";
