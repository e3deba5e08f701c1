/**
 * @minos/talos/render: Talos's renderer, for rendering payloads without
 * loading the Pulumi SDK (`minos render`). `talosOs` builds on it.
 */
export type { MachineConfigInput, TalosFeatures } from "./machine-config.js";
export {
  KUBE_PRISM_PORT,
  machineConfig,
  renderMachineConfig,
  talosKeyPem,
} from "./machine-config.js";
export type { TalosRenderer } from "./node-renderer.js";
export { talosRenderer } from "./node-renderer.js";
export type { TalosConfigPatches, TalosOptions } from "./options.js";
export { redactConfig } from "./redact.js";
export type { TalosSecretMaterial } from "./secrets.js";
export {
  DEFAULT_TALOS_VERSION,
  TALOS_KUBERNETES,
  validateTalosVersion,
} from "./versions.js";
