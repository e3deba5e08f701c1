import { kubeadm, type NodeRole } from "@minos/core";

/**
 * The oneshot that runs kubeadm once. It is skipped once kubelet.conf exists,
 * so a reboot never re-initializes or re-joins a node. Kubernetes binaries
 * come from the sysext, hence the ordering after systemd-sysext.
 */
export function kubeadmUnit(role: NodeRole): string {
  const command = role === "control-plane" ? "init" : "join";
  return [
    "[Unit]",
    `Description=Kubernetes node bootstrap (kubeadm ${command})`,
    "Documentation=https://kubernetes.io/docs/reference/setup-tools/kubeadm/",
    "Wants=network-online.target",
    "Requires=containerd.service",
    "After=network-online.target containerd.service systemd-sysext.service",
    "ConditionPathExists=!/etc/kubernetes/kubelet.conf",
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    `ExecStart=/usr/bin/kubeadm ${command} --config=${kubeadm.KUBEADM_CONFIG_PATH}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
