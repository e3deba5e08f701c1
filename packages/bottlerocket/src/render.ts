/**
 * @minos/bottlerocket/render: Bottlerocket's renderer, for rendering
 * payloads without loading the Pulumi SDK (`minos render`). `bottlerocketOs`
 * builds on it.
 */
export { checkClusterCni } from "./cni.js";
export { type BottlerocketOptions, bottlerocketRenderer } from "./node-renderer.js";
export {
  bottlerocketSettings,
  type JoinMode,
  NODE_NAME_SOURCE,
  renderSettings,
  type SettingsOptions,
} from "./settings.js";
export { BOTTLEROCKET_SETTINGS, undocumentedSettings, validateSettings } from "./settings-model.js";
export { type BottlerocketFlavor, bottlerocketVariant } from "./variants.js";
export { BOTTLEROCKET_KUBERNETES_MINORS } from "./versions.js";
