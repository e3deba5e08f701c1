/**
 * `@minos/core/kvm`: the local KVM platform, on the `@minos/libvirt` driver.
 */
export type { KvmPlatformArgs } from "./platforms/kvm/args.js";
export { type KvmNode, macFor, planNodes } from "./platforms/kvm/identity.js";
export { kvm } from "./platforms/kvm/index.js";
export { DEFAULT_AARCH64_UEFI, parseMachineType } from "./platforms/kvm/validate.js";
