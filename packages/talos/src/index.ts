/**
 * @minos/talos: Talos Linux for minos. `TalosCluster` is a minos Cluster of
 * Talos nodes; `talosOs` is the NodeOs behind it; the pieces (secrets,
 * machine config, the etcd bootstrap, config apply and config handover calls, talosconfig) are exported for
 * programs that assemble their own.
 */

export type { AppliedMode, ApplyOptions, NodeApply } from "./apply-client.js";
export { applyConfig } from "./apply-client.js";
export type { BootstrapOptions, BootstrapOutcome, BootstrapTarget } from "./bootstrap-client.js";
export { bootstrapEtcd } from "./bootstrap-client.js";
export type { TalosClusterArgs } from "./cluster.js";
export { TalosCluster } from "./cluster.js";
export type { EtcdBootstrapArgs } from "./etcd-bootstrap.js";
export { EtcdBootstrap } from "./etcd-bootstrap.js";
export {
  factoryUrl,
  IMAGE_FACTORY_URL,
  installerImage,
  TALOS_AWS_OWNER,
  talosImage,
  VANILLA_SCHEMATIC,
} from "./images.js";
export type { MachineTarget } from "./machine-api.js";
export { APID_PORT, MACHINE_PROTO, machineClient, machineService } from "./machine-api.js";
export type { HandOver, HandOverOptions } from "./maintenance-client.js";
export { handOverConfig, isConfigured } from "./maintenance-client.js";
export type { TalosNodeOs } from "./node-os.js";
export { TALOS_NODE_TOKEN_GROUP, talosOs } from "./node-os.js";
// Everything rendering needs, also at `@minos/talos/render` without the Pulumi SDK.
export * from "./render.js";
export { TalosSecrets } from "./secrets.js";
export type { ConfigGroup, TalosConfigApplyArgs } from "./talos-config-apply.js";
export { TalosConfigApply } from "./talos-config-apply.js";
export type { TalosConfigHandoverArgs } from "./talos-config-handover.js";
export { TalosConfigHandover } from "./talos-config-handover.js";
export type { TalosUpgradeArgs } from "./talos-upgrade.js";
export { TalosUpgrade } from "./talos-upgrade.js";
export type { TalosconfigInput } from "./talosconfig.js";
export { renderTalosconfig } from "./talosconfig.js";
export type { NodeUpgrade } from "./upgrade-client.js";
export { upgradeNodes } from "./upgrade-client.js";
