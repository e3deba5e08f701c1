/**
 * @minos/provider-kit: what minos' Pulumi dynamic providers share, below
 * core and the libvirt driver alike. A provider is serialized as a small
 * shim that loads its package's providers entry by name where the program
 * runs (`dynamicProviderShim`), and diffs only the properties that define
 * its object, never the serialized provider (`diffProperties`).
 */
export type { ShimLookup } from "./dynamic-shim.js";
export { dynamicProviderShim } from "./dynamic-shim.js";
export type { PropertyDiff, PropertyKind } from "./property-diff.js";
export { diffProperties } from "./property-diff.js";
