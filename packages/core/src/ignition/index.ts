export { GCE_METADATA_ADDRESS, podMetadataBlockRules } from "../pod-metadata-rules.js";
export {
  buildIgnition,
  type FileSpec,
  type IgnitionSpec,
  ignitionSize,
  type RemoteContent,
  renderIgnition,
} from "./build.js";
export { canonicalJson } from "./canonical-json.js";
export { inlineResource } from "./data-url.js";
export { ignitionDelivery, ignitionPointer } from "./delivery.js";
export { type ExtraIgnitionOption, validateExtraIgnition } from "./extra.js";
export { type KubeadmIgnitionOs, renderKubeadmIgnition } from "./kubeadm-node.js";
export { mergeIgnition } from "./merge.js";
export { POD_METADATA_BLOCK_RULES, POD_METADATA_BLOCK_UNIT } from "./pod-metadata-block.js";
export * from "./types.js";
