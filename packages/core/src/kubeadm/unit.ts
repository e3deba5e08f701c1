import type { NodeRole } from "../contracts/bootstrap.js";
import { KUBEADM_CONFIG_PATH } from "./config.js";

/** The container runtime kubeadm waits for. */
export interface RuntimeUnit {
  /** Its unit, e.g. `containerd.service`, `crio.service`. */
  unit: string;
  /**
   * The runtime arrives with a sysext, so its unit does not exist when boot
   * starts: systemd would drop a job that `Requires=` it. kubeadm then only
   * orders after it and starts it itself, once the extension is merged.
   */
  fromSysext?: boolean;
}

/**
 * Where to look on a kubeadm node that never becomes ready (`NodeOs.troubleshooting`):
 * this unit's journal, then the kubelet's.
 */
export const KUBEADM_TROUBLESHOOTING =
  "`journalctl -u kubeadm` then `journalctl -u kubelet` (ssh core@<node address>)";

/**
 * The oneshot that runs kubeadm once. It is skipped once kubelet.conf exists,
 * so a reboot never re-initializes or re-joins a node. Ordered after the
 * container runtime and after systemd-sysext, which is how Kubernetes
 * binaries arrive on image-based OSes.
 */
export function kubeadmUnit(
  role: NodeRole,
  runtime: RuntimeUnit,
  /** Commands run once kubeadm succeeded (installing kube-vip's own manifest). */
  afterKubeadm: readonly string[] = [],
): string {
  const command = role === "control-plane" ? "init" : "join";
  return [
    "[Unit]",
    `Description=Kubernetes node bootstrap (kubeadm ${command})`,
    "Documentation=https://kubernetes.io/docs/reference/setup-tools/kubeadm/",
    "Wants=network-online.target",
    ...(runtime.fromSysext ? [] : [`Requires=${runtime.unit}`]),
    `After=network-online.target ${runtime.unit} systemd-sysext.service`,
    `ConditionPathExists=!/etc/kubernetes/kubelet.conf`,
    "",
    "[Service]",
    "Type=oneshot",
    "RemainAfterExit=yes",
    ...(runtime.fromSysext ? [`ExecStartPre=/usr/bin/systemctl start ${runtime.unit}`] : []),
    `ExecStart=/usr/bin/kubeadm ${command} --config=${KUBEADM_CONFIG_PATH}`,
    ...afterKubeadm.map((c) => `ExecStartPost=${c}`),
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
}
