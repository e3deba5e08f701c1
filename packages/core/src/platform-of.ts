import type { PlatformName } from "./contracts/bootstrap.js";
import { MinosError } from "./errors.js";

/**
 * A platform's name narrowed to one an OS has images and a delivery for, or
 * a MinosError naming the ones it has: an OS's tables are keyed by these.
 */
export function platformOf<P extends PlatformName>(
  os: string,
  platforms: readonly P[],
  platform: PlatformName,
): P {
  if (!(platforms as readonly PlatformName[]).includes(platform))
    throw new MinosError("platform", platform, `${os} runs on ${platforms.join(", ")}`);
  return platform as P;
}
