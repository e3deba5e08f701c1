import { createHash } from "node:crypto";
import type { Ipv4Cidr, PlannedGroup } from "@minos/core";
import { MinosError, nthAddress } from "@minos/core";

/** A control-plane node's fixed identity on the cluster network. */
export interface KvmNode {
  /** Domain and host name, e.g. `dev-control-plane-1`. */
  name: string;
  /** A locally administered MAC derived from the name: stable across runs. */
  mac: string;
  ip: string;
}

/** The API's virtual address with several control-plane nodes: below theirs, outside DHCP. */
export const VIRTUAL_IP_HOST = 5;
/** Where control-plane nodes' fixed addresses start. */
export const CONTROL_PLANE_FROM = 10;

/**
 * Every planned control-plane node's name, MAC and address, decided before
 * anything boots, from `.10`. Workers have none: they roll, old and new side
 * by side, on addresses from the DHCP range (the upper half), which must
 * hold every planned worker twice.
 */
export function planNodes(cidr: Ipv4Cidr, groups: readonly PlannedGroup[]): Map<string, KvmNode[]> {
  const size = 2 ** (32 - cidr.prefix);
  const plan = new Map<string, KvmNode[]>();
  for (const g of groups.filter((g) => g.role !== "worker")) {
    const nodes = [...Array(g.maxCount).keys()].map((i) => {
      const index = g.firstIndex + i;
      const name = `${g.name.replace(/-control-plane-join$/, "-control-plane")}-${index}`;
      return {
        name,
        mac: macFor(name),
        ip: nthAddress(cidr, CONTROL_PLANE_FROM + index),
      };
    });
    plan.set(g.name, nodes);
  }
  const workers = groups.filter((g) => g.role === "worker").reduce((n, g) => n + g.maxCount, 0);
  // The range runs from the half to the last address but one (the broadcast is the last).
  const leases = size / 2 - 1;
  if (workers * 2 > leases) {
    throw new MinosError(
      "cidr",
      cidr.text,
      `too small for ${workers} workers: they take DHCP leases from its upper half (${leases} here), old and new side by side while a pool rolls, so it must hold ${workers * 2}`,
    );
  }
  return plan;
}

/** A worker pool's nodes: stable names by position; their machines take addresses by DHCP. */
export function workerSlots(request: { name: string; count: number; firstIndex: number }) {
  return [...Array(request.count).keys()].map((i) => ({
    name: `${request.name}-${request.firstIndex + i}`,
  }));
}

/** `52:54:00` (QEMU's prefix) and three bytes of the name's SHA-256. */
export function macFor(name: string): string {
  const h = createHash("sha256").update(name).digest();
  return [
    "52",
    "54",
    "00",
    ...[...h.subarray(0, 3)].map((b) => b.toString(16).padStart(2, "0")),
  ].join(":");
}
