export {
  KUBEADM_API_VERSION,
  KUBEADM_CONFIG_PATH,
  type KubeadmOsDefaults,
  renderKubeadmConfig,
} from "./config.js";
export { KUBEADM_PKI_DIR, type PkiFile, pkiFiles } from "./pki.js";
export { KUBEADM_TROUBLESHOOTING, kubeadmUnit, type RuntimeUnit } from "./unit.js";
export { kubeadmUpgradeSteps } from "./upgrade.js";
