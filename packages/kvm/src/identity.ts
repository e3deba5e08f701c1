import { createHash } from "node:crypto";
import type { PlannedGroup } from "@minos/core";
import { type Ipv4Cidr, MinosError, nthAddress } from "@minos/core";

/** One node's fixed identity on the cluster network. */
export interface KvmNode {
  /** Domain and host name, e.g. `dev-worker-general-1`. */
  name: string;
  /** A locally administered MAC derived from the name: stable across runs. */
  mac: string;
  ip: string;
  role: PlannedGroup["role"];
}

/** The API's virtual address with several control-plane nodes: below theirs, outside DHCP. */
export const VIRTUAL_IP_HOST = 5;
/** Where fixed addresses start for each role. */
const CONTROL_PLANE_FROM = 10;
const WORKERS_FROM = 20;

/**
 * Every planned node's name, MAC and address, decided before anything
 * boots. Control-plane nodes from `.10`, workers from `.20`; DHCP hands out
 * the rest of the upper half.
 */
export function planNodes(cidr: Ipv4Cidr, groups: readonly PlannedGroup[]): Map<string, KvmNode[]> {
  const size = 2 ** (32 - cidr.prefix);
  let nextWorker = WORKERS_FROM;
  const plan = new Map<string, KvmNode[]>();
  for (const g of groups) {
    const nodes = [...Array(g.maxCount).keys()].map((i) => {
      const index = g.firstIndex + i;
      const host = g.role === "worker" ? nextWorker++ : CONTROL_PLANE_FROM + index;
      const name = `${g.name.replace(/-control-plane-join$/, "-control-plane")}-${index}`;
      return { name, mac: macFor(name), ip: nthAddress(cidr, host), role: g.role };
    });
    plan.set(g.name, nodes);
  }
  if (nextWorker >= size / 2) {
    throw new MinosError(
      "cidr",
      cidr.text,
      `too small for ${nextWorker - WORKERS_FROM} workers; fixed addresses must stay below the DHCP range (upper half)`,
    );
  }
  return plan;
}

/**
 * Nodes of a group the network was not planned with (a NodeGroup joining
 * later): stable names and MACs, addresses from the network's DHCP range.
 */
export function lateNodes(request: { name: string; count: number; firstIndex: number }) {
  return [...Array(request.count).keys()].map((i) => {
    const name = `${request.name}-${request.firstIndex + i}`;
    return { name, mac: macFor(name) };
  });
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
