/**
 * `@minos/kvm`: a local libvirt host as a minos platform, on the
 * `@minos/libvirt` driver.
 */
export type { KvmPlatformArgs } from "./args.js";
export { kvmDescription } from "./description.js";
export type { KvmNode } from "./identity.js";
export { macFor, planNodes } from "./identity.js";
export type { KvmSiteIds } from "./platform.js";
export { kvm } from "./platform.js";
export { DEFAULT_AARCH64_UEFI, parseMachineType } from "./validate.js";
