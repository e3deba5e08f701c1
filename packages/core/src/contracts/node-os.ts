import type * as pulumi from "@pulumi/pulumi";
import type { Arch, BootstrapContext, NodeRole, PlatformName } from "./bootstrap.js";
import type { ConfigDelivery, ImageRef } from "./image.js";

/** Where an OS may create the resources its image lookup needs. */
export interface ImageScope {
  /** The cluster or node group name, to prefix resource names with. */
  name: string;
  /** The component the resources belong to. */
  parent: pulumi.Resource;
}

/** One node's first-boot payload, as the node receives it. */
export interface NodeConfig {
  /** The payload text: Ignition JSON, Talos YAML, Bottlerocket TOML. */
  payload: string;
  /** What the payload is, for tools that inspect it. */
  format: "ignition" | "talos" | "bottlerocket-toml";
}

/**
 * An operating system as minos sees it: images and first-boot configuration,
 * and nothing about clouds. One implementation per OS package; OS options
 * (channel, mirrors, extra config) are bound when the NodeOs is made.
 */
export interface NodeOs {
  /** e.g. `flatcar`. */
  readonly name: string;
  /** Platforms this OS has images and a config delivery for. */
  readonly platforms: readonly PlatformName[];
  /**
   * Image of this OS for a platform and architecture. Called once per
   * cluster; an OS whose images are listed in release metadata may create a
   * resource under `scope` that reads it at deploy time.
   */
  image(platform: PlatformName, arch: Arch, scope: ImageScope): ImageRef;
  /** How the payload reaches a node on a platform. */
  delivery(platform: PlatformName): ConfigDelivery;
  /** First-boot config for one role. Pure: same inputs, same bytes. */
  render(role: NodeRole, ctx: BootstrapContext): NodeConfig;
}
