import * as pulumi from "@pulumi/pulumi";
import type { PayloadPointer } from "../contracts/image.js";
import type { MachinesRequest } from "../contracts/platform.js";

/**
 * What a node is handed for its first boot: where the OS can follow a
 * pointer, the platform stores the payload (`store`) and the node gets the
 * pointer, plain; otherwise the payload itself, secret.
 */
export function deliveredPayload(
  request: MachinesRequest,
  store: (pointer: PayloadPointer) => pulumi.Output<string>,
): pulumi.Output<string> {
  const { delivery } = request;
  const pointer =
    delivery.kind === "user-data" || delivery.kind === "metadata" ? delivery.pointer : undefined;
  return pointer ? store(pointer) : pulumi.secret(request.payload);
}
