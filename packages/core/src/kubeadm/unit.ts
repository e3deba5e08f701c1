import type { NodeRole } from "../contracts/bootstrap.js";
import { KUBEADM_CONFIG_PATH } from "./config.js";

/**
 * The oneshot that runs kubeadm once. It is skipped once kubelet.conf exists,
 * so a reboot never re-initializes or re-joins a node. Ordered after the
 * container runtime and after systemd-sysext, which is how Kubernetes
 * binaries arrive on image-based OSes.
 */
export function kubeadmUnit(role: NodeRole, runtimeUnit: string): string {
  const command = role === "control-plane" ? "init" : "join";
  return [
    "[Unit]",
    `Description=Kubernetes node bootstrap (kubeadm ${command})`,
    "Documentation=https://kubernetes.io/docs/reference/setup-tools/kubeadm/",
    "Wants=network-online.target",
    `Requires=${runtimeUnit}`,
    `After=network-online.target ${runtimeUnit} systemd-sysext.service`,
    `ConditionPathExists=!/etc/kubernetes/kubelet.conf`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/usr/bin/kubeadm ${command} --config=${KUBEADM_CONFIG_PATH}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
