/**
 * @minos/libvirt: libvirt networks, base images, disks, config disks and
 * domains as Pulumi dynamic resources, driven through `virsh`.
 */

export type { PropertyDiff, PropertyKind, ShimLookup } from "@minos/provider-kit";
export { diffProperties, dynamicProviderShim } from "@minos/provider-kit";
export type { BaseImageArgs, BaseImageInputs, BaseImageOutputs } from "./base-image.js";
export { BaseImage, baseImageProvider, baseImageVolume } from "./base-image.js";
export type { ConfigDiskArgs, ConfigDiskInputs, ConfigDiskOutputs } from "./config-disk.js";
export { ConfigDisk, configDiskProvider } from "./config-disk.js";
export type { DigestSpec } from "./digest.js";
export { digestFromList } from "./digest.js";
export type { DiskArgs, DiskInputs, DiskOutputs } from "./disk.js";
export { Disk, diskProvider } from "./disk.js";
export type { DomainArgs, DomainInputs, DomainOutputs } from "./domain.js";
export { Domain, domainProvider } from "./domain.js";
export { virtTypeFor } from "./domain-runtime.js";
export type { DomainDisk, DomainSpec, FirstBoot, UefiFirmware } from "./domain-xml.js";
export { AARCH64_EMULATED_CPU, domainXml } from "./domain-xml.js";
export type { Compression } from "./download.js";
export { LibvirtInputError } from "./errors.js";
export type { HostTool, HostToolName } from "./host-tools.js";
export { HOST_TOOLS, MissingHostToolError, spawnFailure } from "./host-tools.js";
export type { NetworkArgs, NetworkOutputs } from "./network.js";
export { Network, networkProvider } from "./network.js";
export type {
  AddressReservation,
  HostReservation,
  NetworkInputs,
  RangeReservation,
} from "./network-xml.js";
export { networkXml } from "./network-xml.js";
export { NotOwnedError, OWNER_NAMESPACE } from "./ownership.js";
export { providers } from "./providers.js";
export { LIBVIRT_URI_ALLOWED, validateLibvirtUri } from "./uri.js";
export { DEFAULT_URI, VirshError, virsh } from "./virsh.js";
export type { VolumeKind, VolumeRecord } from "./volume-records.js";
export { recordName } from "./volume-records.js";
export { XmlValueError } from "./xml.js";
