/**
 * @minos/fcos: Fedora CoreOS for minos. So far: its images, read from
 * Fedora CoreOS stream metadata. `FcosCluster` follows.
 */
export {
  FCOS_STREAMS,
  type FcosImages,
  type FcosStream,
  fetchStream,
  imagesFromStream,
  STREAM_BASE_URL,
} from "./stream.js";
