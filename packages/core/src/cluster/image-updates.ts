import type { NodeOs } from "../contracts/node-os.js";
import type { OsUpdates } from "../contracts/os-updates.js";
import type { ImageUpdates } from "../contracts/rollout.js";

/**
 * What a new image does to an OS's worker pools. An OS that updates its
 * machines in place keeps the image a pool was made with, whatever the
 * mode: rolling every pool for each weekly release would replace machines
 * that are about to update themselves (Typhoon ignores a new image for the
 * same reason). Any other OS rolls its pools onto a new image when updates
 * are coordinated; with updates off a release reaches only new machines,
 * where the platform can resolve the image at launch.
 */
export function poolImageUpdates(
  os: Pick<NodeOs, "updatesInPlace">,
  osUpdates: OsUpdates,
): ImageUpdates {
  if (os.updatesInPlace === true) return "keep";
  return osUpdates.mode === "coordinated" ? "roll" : "launch";
}
