import type * as pulumi from "@pulumi/pulumi";
import type { Arch, NodeRole } from "../contracts/bootstrap.js";
import type { ConfigDelivery, ImageRef } from "../contracts/image.js";
import type { MachinesRequest, PlatformNetwork } from "../contracts/platform.js";
import type { ResolvedGroup } from "./resolve.js";

/** What every machine group of one cluster shares. */
export interface MachineCommon {
  cluster: string;
  arch: Arch;
  image: ImageRef;
  delivery: ConfigDelivery;
  network: PlatformNetwork;
  tags: Record<string, string>;
}

/** The platform request for one group: `<prefix>-<key>` machines of one role. */
export function machineRequest(
  common: MachineCommon,
  prefix: string,
  key: string,
  role: NodeRole,
  group: ResolvedGroup,
  payload: pulumi.Output<string>,
  placement: { count: number; firstIndex: number },
): MachinesRequest {
  const fixed = role !== "worker";
  return {
    ...common,
    name: `${prefix}-${key.replace("/", "-")}`,
    role,
    pool: group.settings.pool,
    count: placement.count,
    minCount: fixed ? placement.count : group.minCount,
    maxCount: fixed ? placement.count : group.maxCount,
    spot: group.spot,
    diskGiB: group.diskGiB,
    ...(group.machineType !== undefined && { machineType: group.machineType }),
    payload,
    firstIndex: placement.firstIndex,
  };
}
