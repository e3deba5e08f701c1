import type { BootstrapContext, NodeRole } from "../contracts/bootstrap.js";
import type { ConfigDelivery } from "../contracts/image.js";
import type { NodeConfig, NodeRenderer } from "../contracts/node-os.js";
import type { PayloadLimit, PlatformDescription } from "../contracts/platform.js";
import { MinosError } from "../errors.js";

/** A rendered payload, its size, and the limit of the delivery that hands it to a node. */
export interface RenderedNode extends NodeConfig {
  bytes: number;
  /** The platform's limit for this delivery, where it has one. */
  limit?: PayloadLimit;
}

/**
 * The one way a payload is made: the OS renders the role, and its size is
 * measured against what the platform's delivery can hand a node. `Cluster`,
 * `NodeGroup` (and so Bottlerocket on EKS) and `minos render` all call it.
 */
export function renderNode(
  os: NodeRenderer,
  platform: PlatformDescription,
  delivery: ConfigDelivery,
  role: NodeRole,
  ctx: BootstrapContext,
): RenderedNode {
  const config = os.render(role, ctx);
  const limit = platform.payloadLimit?.(delivery);
  return { ...config, bytes: Buffer.byteLength(config.payload), ...(limit && { limit }) };
}

/** The payload, if it fits its delivery; a MinosError naming the group if not. */
export function fittingPayload(group: string, node: RenderedNode): RenderedNode {
  if (node.limit && node.bytes > node.limit.bytes)
    throw new MinosError(
      `${group} first-boot payload`,
      `${node.bytes} bytes`,
      `at most ${node.limit.bytes} bytes fit the ${node.limit.what}; trim the OS's extra config`,
    );
  return node;
}
