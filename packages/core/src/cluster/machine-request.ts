import type * as pulumi from "@pulumi/pulumi";
import type { Arch, NodeRole } from "../contracts/bootstrap.js";
import type { ConfigDelivery, ImageRef } from "../contracts/image.js";
import type { MachinesRequest, PlannedGroup, PlatformNetwork } from "../contracts/platform.js";
import type { ResolvedGroup } from "./resolve.js";

/** What every machine group of one cluster shares. */
export interface MachineCommon {
  cluster: string;
  arch: Arch;
  image: ImageRef;
  delivery: ConfigDelivery;
  network: PlatformNetwork;
  tags: Record<string, string>;
  /** Roll running machines when their template changes (see MachinesRequest.roll). */
  roll?: boolean;
}

/**
 * One machine group as planned: `<prefix>-<key>` machines of one role. The
 * control plane has a fixed size; worker pools keep their autoscaling bounds.
 */
export function planGroup(
  prefix: string,
  key: string,
  role: NodeRole,
  group: ResolvedGroup,
  placement: { count: number; firstIndex: number },
): PlannedGroup {
  return {
    name: `${prefix}-${key.replace("/", "-")}`,
    role,
    pool: group.settings.pool,
    count: placement.count,
    maxCount: role === "worker" ? group.maxCount : placement.count,
    firstIndex: placement.firstIndex,
    spot: group.spot,
    ...(group.machineType !== undefined && { machineType: group.machineType }),
  };
}

/** The platform request for a planned group. */
export function machineRequest(
  common: MachineCommon,
  planned: PlannedGroup,
  group: ResolvedGroup,
  payload: pulumi.Output<string>,
): MachinesRequest {
  return {
    ...common,
    ...planned,
    minCount: planned.role === "worker" ? group.minCount : planned.count,
    spot: group.spot,
    diskGiB: group.diskGiB,
    payload,
  };
}
