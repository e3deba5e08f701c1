export type { KubeadmOsDefaults } from "./config.js";
export { KUBEADM_API_VERSION, KUBEADM_CONFIG_PATH, renderKubeadmConfig } from "./config.js";
export type { PkiFile } from "./pki.js";
export { KUBEADM_PKI_DIR, pkiFiles } from "./pki.js";
export type { RuntimeUnit } from "./unit.js";
export { KUBEADM_TROUBLESHOOTING, kubeadmUnit } from "./unit.js";
export { kubeadmUpgradeSteps } from "./upgrade.js";
