/**
 * @minos/bottlerocket: Bottlerocket workers for minos clusters and for EKS.
 * `BottlerocketNodeGroup` joins a cluster someone else runs; `bottlerocketOs`
 * and the settings renderer are exported for programs that assemble their own.
 */
export { checkClusterCni } from "./cni.js";
export {
  BottlerocketNodeGroup,
  type BottlerocketNodeGroupArgs,
  type EksClusterSource,
} from "./node-group.js";
export { type BottlerocketOptions, bottlerocketOs } from "./node-os.js";
export { bottlerocketRenderer } from "./node-renderer.js";
export {
  bottlerocketSettings,
  type JoinMode,
  NODE_NAME_SOURCE,
  renderSettings,
  type SettingsOptions,
} from "./settings.js";
export { BOTTLEROCKET_SETTINGS, undocumentedSettings, validateSettings } from "./settings-model.js";
export {
  amiParameter,
  type BottlerocketFlavor,
  bottlerocketVariant,
} from "./variants.js";
export { BOTTLEROCKET_KUBERNETES_MINORS } from "./versions.js";
