import type {
  PlatformService,
  PlatformServices,
  PlatformServicesArgs,
} from "../contracts/platform-services.js";
import { OPT_IN_SERVICES, PLATFORM_SERVICE_KEYS } from "../contracts/platform-services.js";
import { MinosError } from "../errors.js";
import { refuseUnknownKeys } from "./keys.js";

/**
 * Checks `platformServices` and resolves it against what the platform
 * offers (`PlatformDescription.services`): every part but the opt-in ones
 * (the autoscaler) defaults on, and a part the platform lacks is off whatever the user said, so one program
 * can name the same switches on every platform.
 */
export function resolvePlatformServices(
  argument: string,
  value: unknown,
  offered: readonly PlatformService[],
): PlatformServices {
  const given = value ?? {};
  if (typeof given !== "object" || given === null || Array.isArray(given))
    throw new MinosError(
      argument,
      value,
      `use { ${PLATFORM_SERVICE_KEYS.map((k) => `${k}?: boolean`).join(", ")} }`,
    );
  refuseUnknownKeys(argument, given, PLATFORM_SERVICE_KEYS);
  const args = given as PlatformServicesArgs;
  const services = {} as PlatformServices;
  for (const key of PLATFORM_SERVICE_KEYS) {
    const on = args[key] ?? !OPT_IN_SERVICES.includes(key);
    if (typeof on !== "boolean")
      throw new MinosError(`${argument}.${key}`, on, "use true or false");
    services[key] = on && offered.includes(key);
  }
  return services;
}
