import type { PlatformDescription } from "../contracts/platform.js";
import type {
  PlatformService,
  PlatformServices,
  PlatformServicesArgs,
} from "../contracts/platform-services.js";
import { OPT_IN_SERVICES, PLATFORM_SERVICE_KEYS } from "../contracts/platform-services.js";
import { MinosError } from "../errors.js";
import { refuseUnknownKeys } from "./keys.js";

/** Parts that need the controller wherever they run: the autoscaler finds machines by provider ID. */
const ALWAYS_NEED_CONTROLLER: readonly PlatformService[] = ["autoscaler"];

/**
 * Checks `platformServices` and resolves it against what the platform
 * offers (`PlatformDescription.services`): a part the platform lacks is off
 * whatever the user said, so one program can name the same switches on
 * every platform; every other part but the opt-in ones (the autoscaler)
 * defaults on. A part that needs the controller
 * (`PlatformDescription.servicesNeedingController`) follows it when not
 * set, so `{ controller: false }` alone turns off what cannot run without
 * it, and asking for it explicitly without the controller is refused. A
 * part the OS cannot take there is off, and refused when asked for.
 */
export function resolvePlatformServices(
  argument: string,
  value: unknown,
  platform: Pick<PlatformDescription, "name" | "services" | "servicesNeedingController">,
  /** Parts the cluster's OS cannot take there, with why (`NodeOs.unavailableServices`). */
  unavailable: Partial<Record<PlatformService, string>> = {},
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
  const offered = platform.services ?? [];
  const needing = [...ALWAYS_NEED_CONTROLLER, ...(platform.servicesNeedingController ?? [])];
  const services = {} as PlatformServices;
  for (const key of PLATFORM_SERVICE_KEYS) {
    const asked = args[key];
    if (asked !== undefined && typeof asked !== "boolean")
      throw new MinosError(`${argument}.${key}`, asked, "use true or false");
    const needs = key !== "controller" && needing.includes(key);
    if (asked === true && needs && offered.includes(key) && !services.controller)
      throw new MinosError(
        `${argument}.${key}`,
        asked,
        `on ${platform.name} it needs ${argument}.controller: turn the controller on, or this part off`,
      );
    const why = offered.includes(key) ? unavailable[key] : undefined;
    if (asked === true && why !== undefined)
      throw new MinosError(
        `${argument}.${key}`,
        asked,
        `not on ${platform.name} with this OS: ${why}`,
      );
    const byDefault = !OPT_IN_SERVICES.includes(key) && (!needs || services.controller);
    services[key] = (asked ?? byDefault) && offered.includes(key) && why === undefined;
  }
  return services;
}
