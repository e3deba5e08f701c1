import { MinosError } from "../errors.js";
import { mergeIgnition } from "./merge.js";
import { IGNITION_VERSION } from "./types.js";

/**
 * Checks an OS's `extraIgnition` option: a list of Ignition configs that
 * merge cleanly. A bad fragment fails when the OS is made, before any
 * resource exists, not when a node's config is rendered.
 */
export function validateExtraIgnition(argument: string, value: unknown): readonly object[] {
  const configs = value ?? [];
  if (!Array.isArray(configs))
    throw new MinosError(argument, value, "use a list of Ignition config objects");
  mergeIgnition({ ignition: { version: IGNITION_VERSION } }, configs, argument);
  return configs;
}

/** The option every Ignition-based OS takes. */
export interface ExtraIgnitionOption {
  /**
   * Ignition configs (spec 3.0-3.3, e.g. Butane output) merged into every
   * node's config, in order. Their files, units and users replace minos' own
   * by path or name. Default none.
   */
  extraIgnition?: object[];
}
