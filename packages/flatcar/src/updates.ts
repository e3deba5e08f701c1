import type { BootstrapContext, ignition } from "@minos/core/render";

/**
 * Flatcar's update agents as `ctx.osUpdates` asks. update_engine downloads
 * and stages updates; locksmithd would then reboot at once, uncoordinated,
 * so it is masked on every node (as Typhoon does) and kured reboots instead,
 * one node at a time (kured.ts). Off: update_engine is pointed nowhere
 * (`SERVER=disabled`, as Flatcar's update-conf docs say), so nothing is
 * downloaded and nothing reboots.
 */
export function flatcarUpdates(
  ctx: BootstrapContext,
): Pick<ignition.IgnitionSpec, "files" | "units"> {
  return {
    ...(ctx.osUpdates.mode === "off" && {
      files: [{ path: "/etc/flatcar/update.conf", contents: "SERVER=disabled\n" }],
    }),
    units: [{ name: "locksmithd.service", mask: true }],
  };
}
