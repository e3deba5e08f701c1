/**
 * @minos/talos: Talos Linux for minos. `TalosCluster` is a minos Cluster of
 * Talos nodes; `talosOs` is the NodeOs behind it; the pieces (secrets,
 * machine config, the etcd bootstrap and config apply calls, talosconfig) are exported for
 * programs that assemble their own.
 */
export {
  type AppliedMode,
  type ApplyOptions,
  applyConfig,
  type NodeApply,
} from "./apply-client.js";
export {
  type BootstrapOptions,
  type BootstrapOutcome,
  type BootstrapTarget,
  bootstrapEtcd,
} from "./bootstrap-client.js";
export { TalosCluster, type TalosClusterArgs } from "./cluster.js";
export { EtcdBootstrap, type EtcdBootstrapArgs } from "./etcd-bootstrap.js";
export {
  factoryUrl,
  IMAGE_FACTORY_URL,
  installerImage,
  TALOS_AWS_OWNER,
  talosImage,
  VANILLA_SCHEMATIC,
} from "./images.js";
export {
  APID_PORT,
  MACHINE_PROTO,
  type MachineTarget,
  machineClient,
  machineService,
} from "./machine-api.js";
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
  type TalosNodeOs,
  type TalosOptions,
  talosOs,
} from "./node-os.js";
export { type TalosRenderer, talosRenderer } from "./node-renderer.js";
export { redactConfig } from "./redact.js";
export { type TalosSecretMaterial, TalosSecrets } from "./secrets.js";
export {
  type ConfigGroup,
  TalosConfigApply,
  type TalosConfigApplyArgs,
} from "./talos-config-apply.js";
export { TalosUpgrade, type TalosUpgradeArgs } from "./talos-upgrade.js";
export { renderTalosconfig, type TalosconfigInput } from "./talosconfig.js";
export { type NodeUpgrade, upgradeNodes } from "./upgrade-client.js";
export {
  DEFAULT_TALOS_VERSION,
  TALOS_KUBERNETES,
  validateTalosVersion,
} from "./versions.js";
