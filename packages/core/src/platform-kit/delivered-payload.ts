import * as pulumi from "@pulumi/pulumi";
import type { ConfigDelivery, PayloadPointer } from "../contracts/image.js";
import type { MachinesRequest } from "../contracts/platform.js";
import { MinosError } from "../errors.js";

/**
 * What a node is handed for its first boot: where the OS can follow a
 * pointer, the platform stores the payload (`store`) and the node gets the
 * pointer, plain; where the OS hands it over its own API (`machine-api`),
 * nothing; otherwise the payload itself, secret.
 */
export function deliveredPayload(
  request: MachinesRequest,
  store: (pointer: PayloadPointer) => pulumi.Output<string>,
): pulumi.Output<string> | undefined {
  const { delivery } = request;
  if (delivery.kind === "machine-api") return undefined;
  const pointer =
    delivery.kind === "user-data" || delivery.kind === "metadata" ? delivery.pointer : undefined;
  return pointer ? store(pointer) : pulumi.secret(request.payload);
}

/**
 * Throws a MinosError unless the request's delivery is one of the kinds the
 * platform honours: a payload must never land where its OS does not look
 * for it (or, for `machine-api`, be stored where the OS meant it not to be).
 */
export function refuseDelivery(
  platform: string,
  request: MachinesRequest,
  honoured: readonly ConfigDelivery["kind"][],
): void {
  if (!honoured.includes(request.delivery.kind))
    throw new MinosError(
      `${request.name} delivery`,
      request.delivery.kind,
      `${platform} hands nodes their first-boot payload by ${honoured.join(" or ")}`,
    );
}
