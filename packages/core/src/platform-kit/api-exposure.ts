import type { PlatformClusterInfo } from "../contracts/platform.js";
import { MinosError } from "../errors.js";
import { parseCidrList } from "../validation/cidr.js";

/** What `apiAllowedCidrs` means when left out: the whole internet. */
export const WORLD = "0.0.0.0/0";

/**
 * A cloud's `apiAllowedCidrs`, checked: IPv4 networks, default the world.
 * An empty list is refused: it closes the API to the program itself, whose
 * readiness gates and Kubernetes provider reach it from where Pulumi runs,
 * and every gate would wait out its timeout with everything made.
 */
export function apiAllowedCidrs(value: unknown): string[] {
  const list = parseCidrList("apiAllowedCidrs", value ?? [WORLD]).map((c) => c.text);
  if (list.length === 0)
    throw new MinosError(
      "apiAllowedCidrs",
      value,
      "list at least the network Pulumi runs from (minos waits for the API from there, and so does your kubectl); leave it out for the whole internet",
    );
  return list;
}

const open = (cidrs: readonly string[]) => cidrs.some((c) => c.endsWith("/0"));

/**
 * Talos's maintenance API takes a config from anyone until the handover
 * gives it one: with control planes on `machine-api` delivery, the ports
 * must not be open to the world.
 */
export function refuseOpenMachineApi(cluster: PlatformClusterInfo, cidrs: readonly string[]): void {
  const handedOver = cluster.groups.some((g) => g.delivery === "machine-api");
  if (handedOver && open(cidrs))
    throw new MinosError(
      "apiAllowedCidrs",
      cidrs,
      "with controlPlaneDelivery machine-api, control planes wait for their config on an unauthenticated port until minos hands it over; narrow apiAllowedCidrs to the networks Pulumi runs from",
    );
}

/**
 * The warning a cloud prints at preview while the API (and the other ports
 * the program reaches, Talos's 50000) is open to the whole internet, or
 * undefined when it is not.
 */
export function openApiWarning(
  cluster: PlatformClusterInfo,
  cidrs: readonly string[],
): string | undefined {
  if (!open(cidrs)) return undefined;
  const list = [cluster.apiPort, ...cluster.controlPlanePorts];
  const ports =
    list.length === 1
      ? `port ${list[0]} is`
      : `ports ${list.slice(0, -1).join(", ")} and ${list.at(-1)} are`;
  return (
    `Cluster ${cluster.name}: the control plane's ${ports} open to the whole internet ` +
    "(apiAllowedCidrs left out, or a /0 in it). Clients still need a certificate or token; " +
    "narrow apiAllowedCidrs to the networks that use the cluster for anything long-lived."
  );
}
