/**
 * @minos/flatcar: Kubernetes on Flatcar Container Linux.
 */
export { FLATCAR_CHANNELS, type FlatcarChannel } from "./channels.js";
export { FlatcarCluster, type FlatcarClusterArgs } from "./cluster.js";
export {
  FLATCAR_AWS_OWNER,
  FLATCAR_GCP_PROJECT,
  FLATCAR_QEMU_IMAGE,
  flatcarImage,
} from "./images.js";
export { kured, kuredArgs } from "./kured.js";
export { type FlatcarOptions, flatcarOs } from "./node-os.js";
export { flatcarRenderer } from "./node-renderer.js";
export { DEFAULT_SYSEXT_BASE_URL, type KubernetesSysextOptions, sysextFileName } from "./sysext.js";
export { flatcarUpdates } from "./updates.js";
export { FLATCAR_KUBERNETES, KURED_IMAGE } from "./versions.js";
