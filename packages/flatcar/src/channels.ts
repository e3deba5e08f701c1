import { MinosError } from "@minos/core/render";

/** Flatcar release channels. */
export type FlatcarChannel = "stable" | "beta" | "alpha" | "lts";
export const FLATCAR_CHANNELS: readonly FlatcarChannel[] = ["stable", "beta", "alpha", "lts"];

export function validateChannel(argument: string, value: unknown): FlatcarChannel {
  if (!FLATCAR_CHANNELS.includes(value as FlatcarChannel)) {
    throw new MinosError(argument, value, `use one of ${FLATCAR_CHANNELS.join(", ")}`);
  }
  return value as FlatcarChannel;
}
