import type { PlatformName } from "../contracts/bootstrap.js";
import { MinosError } from "../errors.js";

/** A pinned AMI id, as an OS option takes it. */
export function validateAmiId(argument: string, value: unknown): string {
  if (typeof value !== "string" || !/^ami-[0-9a-f]{8,17}$/.test(value))
    throw new MinosError(argument, value, "use an AMI id like ami-0123456789abcdef0");
  return value;
}

/** A pinned GCE image name (an RFC 1035 label); `example` shows the OS's own naming. */
export function validateGceImageName(argument: string, value: unknown, example: string): string {
  if (typeof value !== "string" || !/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value))
    throw new MinosError(argument, value, `use a GCE image name like ${example}`);
  return value;
}

/**
 * Refuses an image pinned for another platform than the cluster's: it would
 * be silently unused. `pins` maps each option the OS takes to the platform
 * it pins an image on.
 */
export function refusePinsElsewhere(
  platform: PlatformName,
  options: object,
  pins: Record<string, PlatformName>,
): void {
  for (const [option, on] of Object.entries(pins)) {
    const value = (options as Record<string, unknown>)[option];
    if (value !== undefined && platform !== on)
      throw new MinosError(
        option,
        value,
        `it pins an image on ${on}, and this cluster runs on ${platform}: leave it out there`,
      );
  }
}
