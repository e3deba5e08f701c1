/**
 * `@minos/libvirt/providers`: the provider implementations, loaded by each
 * resource's serialized shim in Pulumi's dynamic-provider process.
 */
import { baseImageProvider } from "./base-image.js";
import { configDiskProvider } from "./config-disk.js";
import { diskProvider } from "./disk.js";
import { domainProvider } from "./domain.js";
import { networkProvider } from "./network.js";

export const providers = {
  network: networkProvider,
  baseImage: baseImageProvider,
  disk: diskProvider,
  configDisk: configDiskProvider,
  domain: domainProvider,
};
