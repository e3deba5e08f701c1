/**
 * @minos/talos: Talos Linux for minos. `TalosCluster` is a minos Cluster of
 * Talos nodes; `talosOs` is the NodeOs behind it; the pieces (secrets,
 * machine config, the etcd bootstrap, config apply and config handover calls, talosconfig) are exported for
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
  type HandOver,
  type HandOverOptions,
  handOverConfig,
  isConfigured,
} from "./maintenance-client.js";
export { TALOS_NODE_TOKEN_GROUP, type TalosNodeOs, talosOs } from "./node-os.js";
// Everything rendering needs, also at `@minos/talos/render` without the Pulumi SDK.
export * from "./render.js";
export { TalosSecrets } from "./secrets.js";
export {
  type ConfigGroup,
  TalosConfigApply,
  type TalosConfigApplyArgs,
} from "./talos-config-apply.js";
export { TalosConfigHandover, type TalosConfigHandoverArgs } from "./talos-config-handover.js";
export { TalosUpgrade, type TalosUpgradeArgs } from "./talos-upgrade.js";
export { renderTalosconfig, type TalosconfigInput } from "./talosconfig.js";
export { type NodeUpgrade, upgradeNodes } from "./upgrade-client.js";
