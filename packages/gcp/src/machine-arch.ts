/**
 * Arm machine families on Compute Engine (Tau T2A, Axion C4A and N4A);
 * every other predefined or custom family is x86.
 */
const ARM_FAMILIES = ["t2a", "c4a", "n4a"];

/** The CPU architecture of a GCE machine type, from its family. */
export function machineArch(type: string): "amd64" | "arm64" {
  return ARM_FAMILIES.includes(type.split("-")[0] as string) ? "arm64" : "amd64";
}

/**
 * The machine type of a group that names none and a platform without a
 * default: 2 vCPUs, 8 GiB. T2A on arm64, since C4A and N4A take only
 * Hyperdisk, and nodes' boot disks are pd-balanced.
 */
export const defaultMachineType = (arch: "amd64" | "arm64" | undefined) =>
  arch === "arm64" ? "t2a-standard-2" : "e2-standard-2";

/** A group's machine type: its own, the platform's default, or one of the cluster's arch. */
export const machineTypeOf = (
  request: { machineType?: string; arch: "amd64" | "arm64" },
  platformDefault: string | undefined,
) => request.machineType ?? platformDefault ?? defaultMachineType(request.arch);
