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

/**
 * Refuses a machine type built for the other architecture than the
 * cluster's: its image would not boot there, and the cloud says so only at
 * launch. Groups that name no type get the platform's default, when the
 * user set one (`platformDefault`, named by its own argument); minos' own
 * defaults follow the arch. `archOf` reads a type's architecture, or
 * undefined when the name says nothing sure.
 */
export function refuseOtherArchMachines(
  cluster: PlatformClusterInfo,
  archOf: (machineType: string) => "amd64" | "arm64" | undefined,
  platformDefault?: { argument: string; machineType: string },
): void {
  if (cluster.arch === undefined) return;
  for (const g of cluster.groups) {
    const [argument, type] =
      g.machineType !== undefined
        ? [groupArgument(g, "machineType"), g.machineType]
        : [platformDefault?.argument, platformDefault?.machineType];
    const arch = type === undefined ? undefined : archOf(type);
    if (argument !== undefined && arch !== undefined && arch !== cluster.arch)
      throw new MinosError(
        argument,
        type,
        `it is an ${arch} type and the cluster runs ${cluster.arch} (arch); use an ${cluster.arch} type, or set arch: "${arch}" for the whole cluster`,
      );
  }
}
