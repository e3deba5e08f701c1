import type { PlannedGroup, PlatformClusterInfo } from "../contracts/platform.js";
import { MinosError } from "../errors.js";

/** The argument a group's setting came from. */
export const groupArgument = (g: PlannedGroup, setting: string) =>
  g.role === "worker" ? `nodePools.${g.pool}.${setting}` : `controlPlane.${setting}`;

/** SSH ranges open a port only with keys to log in with: without them they would do nothing. */
export function refuseSshRangesWithoutKeys(
  cluster: PlatformClusterInfo,
  sshAllowedCidrs: readonly string[],
): void {
  if (sshAllowedCidrs.length > 0 && !cluster.sshEnabled)
    throw new MinosError(
      "sshAllowedCidrs",
      sshAllowedCidrs,
      "give sshAuthorizedKeys too (without keys SSH stays closed), or leave it out",
    );
}

/** Machine types checked by shape where the cloud's list is not at hand. */
export function checkMachineTypes(
  cluster: PlatformClusterInfo,
  pattern: RegExp,
  example: string,
): void {
  for (const g of cluster.groups)
    if (g.machineType !== undefined && !pattern.test(g.machineType))
      throw new MinosError(
        groupArgument(g, "machineType"),
        g.machineType,
        `use a type like ${example}`,
      );
}
