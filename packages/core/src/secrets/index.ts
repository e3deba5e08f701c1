export { BOOTSTRAP_TOKEN, validateBootstrapToken } from "./bootstrap-token.js";
export { caCertHash } from "./ca-cert-hash.js";
export { ClusterSecrets } from "./cluster-secrets.js";
