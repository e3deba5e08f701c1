// One shim and one diff helper for every minos dynamic provider, from the
// package all of them reach (libvirt sits below core, so they live there).
export {
  diffProperties,
  dynamicProviderShim,
  type PropertyDiff,
  type PropertyKind,
  type ShimLookup,
} from "@minos/libvirt";
