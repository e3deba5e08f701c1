import type { NodeOs } from "@minos/core";
import { fcosOs } from "@minos/fcos";
import { flatcarOs } from "@minos/flatcar";

/** The OSes `minos render` knows, by the name given on the command line. */
export const OPERATING_SYSTEMS: Record<string, () => NodeOs> = {
  flatcar: () => flatcarOs(),
  fcos: () => fcosOs(),
};
