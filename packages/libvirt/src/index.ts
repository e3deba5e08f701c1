/**
 * @minos/libvirt: libvirt networks, base images, disks, config disks and
 * domains as Pulumi dynamic resources, driven through `virsh`.
 */
export {
  BaseImage,
  type BaseImageArgs,
  type BaseImageInputs,
  type BaseImageOutputs,
  baseImageProvider,
  baseImageVolume,
} from "./base-image.js";
export {
  ConfigDisk,
  type ConfigDiskArgs,
  type ConfigDiskInputs,
  type ConfigDiskOutputs,
  configDiskProvider,
} from "./config-disk.js";
export { type DigestSpec, digestFromList } from "./digest.js";
export { Disk, type DiskArgs, type DiskInputs, type DiskOutputs, diskProvider } from "./disk.js";
export {
  Domain,
  type DomainArgs,
  type DomainInputs,
  type DomainOutputs,
  domainProvider,
  virtTypeFor,
} from "./domain.js";
export {
  AARCH64_EMULATED_CPU,
  type DomainDisk,
  type DomainSpec,
  domainXml,
  type FirstBoot,
  type UefiFirmware,
} from "./domain-xml.js";
export type { Compression } from "./download.js";
export { dynamicProviderShim, type ShimLookup } from "./dynamic-shim.js";
export { LibvirtInputError } from "./errors.js";
export {
  HOST_TOOLS,
  type HostTool,
  type HostToolName,
  MissingHostToolError,
  spawnFailure,
} from "./host-tools.js";
export {
  type AddressReservation,
  type HostReservation,
  Network,
  type NetworkArgs,
  type NetworkInputs,
  type NetworkOutputs,
  networkProvider,
  networkXml,
} from "./network.js";
export { NotOwnedError, OWNER_NAMESPACE } from "./ownership.js";
export {
  diffProperties,
  type PropertyDiff,
  type PropertyKind,
} from "./property-diff.js";
export { providers } from "./providers.js";
export { LIBVIRT_URI_ALLOWED, validateLibvirtUri } from "./uri.js";
export { DEFAULT_URI, VirshError, virsh } from "./virsh.js";
export { recordName, type VolumeKind, type VolumeRecord } from "./volume-records.js";
export { XmlValueError } from "./xml.js";
