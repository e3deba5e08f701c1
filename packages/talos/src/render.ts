/**
 * @minos/talos/render: Talos's renderer, for rendering payloads without
 * loading the Pulumi SDK (`minos render`). `talosOs` builds on it.
 */
export {
  KUBE_PRISM_PORT,
  type MachineConfigInput,
  machineConfig,
  renderMachineConfig,
  type TalosFeatures,
  talosKeyPem,
} from "./machine-config.js";
export {
  type TalosConfigPatches,
  type TalosOptions,
  type TalosRenderer,
  talosRenderer,
} from "./node-renderer.js";
export { redactConfig } from "./redact.js";
export type { TalosSecretMaterial } from "./secrets.js";
export {
  DEFAULT_TALOS_VERSION,
  TALOS_KUBERNETES,
  validateTalosVersion,
} from "./versions.js";
