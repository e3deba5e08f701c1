import type { NodeRenderer } from "../contracts/node-os.js";
import type { PlatformDescription } from "../contracts/platform.js";

/**
 * Where a cluster's nodes keep volumes on their own disks: the OS's
 * `localVolumePath` on a platform whose volumes live there
 * (`PlatformDescription.localVolumes`), else nowhere. A path that is not
 * absolute is the OS package's mistake, not the user's: it throws.
 */
export function localVolumesOf(
  platform: PlatformDescription,
  os: Pick<NodeRenderer, "name" | "localVolumePath">,
): string | undefined {
  if (!platform.localVolumes || os.localVolumePath === undefined) return undefined;
  if (!/^\/[!-~]+$/.test(os.localVolumePath) || os.localVolumePath.includes(".."))
    throw new Error(
      `minos: ${os.name}'s localVolumePath must be an absolute directory without spaces or "..", not ${JSON.stringify(os.localVolumePath)}`,
    );
  return os.localVolumePath;
}
