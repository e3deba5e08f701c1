/**
 * `@minos/libvirt/host`: what a check of the libvirt host needs, without the
 * Pulumi SDK (`minos doctor` loads this alone): every program the driver
 * runs, by a key of `HOST_TOOLS` at each spawn site, so the list a check
 * walks is the list the driver runs; and the driver's URI rules.
 */
export type { HostTool, HostToolName } from "./host-tools.js";
export { HOST_TOOLS, MissingHostToolError, spawnFailure } from "./host-tools.js";
export { isLocalUri, LIBVIRT_URI_ALLOWED, validateLibvirtUri } from "./uri.js";
export { DEFAULT_URI } from "./virsh.js";
