/**
 * @minos/flatcar: Kubernetes on Flatcar Container Linux.
 */

export type { FlatcarClusterArgs } from "./cluster.js";
export { FlatcarCluster } from "./cluster.js";
export {
  FLATCAR_AWS_OWNER,
  FLATCAR_GCP_PROJECT,
  FLATCAR_QEMU_IMAGE,
  flatcarImage,
} from "./images.js";
export { kured, kuredArgs } from "./kured.js";
export { flatcarOs } from "./node-os.js";
// Everything rendering needs, also at `@minos/flatcar/render` without the Pulumi SDK.
export * from "./render.js";
export { flatcarUpdates } from "./updates.js";
export { KURED_IMAGE } from "./versions.js";
