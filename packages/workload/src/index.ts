/**
 * `@minos/workload`: what minos' examples share. The reference workload, so
 * clusters on different OSes and platforms run exactly the same thing; the
 * one way an example reads its config (declared keys, the rest refused);
 * the platform a stack's config picks; and the OS comparison's probes and
 * the collector that runs them (`Probes`, `ProbeCollector`).
 */
export type { KubeApi } from "./collector/kube-api.js";
export { kubeApi } from "./collector/kube-api.js";
export type { CollectorPlan, ProbeOutcome } from "./collector/plan.js";
export type { ProbeCollectorArgs } from "./collector/probe-collector.js";
export { ProbeCollector } from "./collector/probe-collector.js";
export type { Collected } from "./collector/run-probes.js";
export { runProbes } from "./collector/run-probes.js";
export type { ConfigKey, ConfigType } from "./config-key.js";
export { configKey, readmeDefault } from "./config-key.js";
export type { ConfigValues, DeclaredKey } from "./example-config.js";
export { declaredConfig, exampleConfig } from "./example-config.js";
export { nginx } from "./nginx.js";
export type { PlatformConfig } from "./platform-from-config.js";
export { PLATFORMS, platformFromConfig, platformKeys } from "./platform-from-config.js";
export type { ProbeName } from "./probes/catalog.js";
export { PROBES } from "./probes/catalog.js";
export type { LbVolumeObjects, LbVolumeParts } from "./probes/lb-volume.js";
export { lbVolumeObjects } from "./probes/lb-volume.js";
export type { Manifest } from "./probes/manifest.js";
export type { Posture } from "./probes/parse/posture.js";
export { probeObjects } from "./probes/probe-objects.js";
export type { ProbesArgs } from "./probes/probes.js";
export { Probes } from "./probes/probes.js";
export type { ProbeSettings, ResolvedProbeSettings } from "./probes/settings.js";
export { resolveProbeSettings } from "./probes/settings.js";
export { AGNHOST_IMAGE, IPERF3_IMAGE, PAUSE_IMAGE, PULL_IMAGE } from "./versions.js";
