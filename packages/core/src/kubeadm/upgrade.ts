import type { KubernetesVersion } from "../kubernetes-versions.js";

/**
 * What moves a running kubeadm control plane to Kubernetes `to`, as the
 * kubeadm upgrade guide (kubernetes/website, "Upgrading kubeadm clusters")
 * orders it: the first control-plane node with `kubeadm upgrade apply`, the
 * others with `kubeadm upgrade node`, one at a time, each with the new
 * release's kubeadm and kubelet installed first (`install`, the OS's way).
 */
export function kubeadmUpgradeSteps(to: KubernetesVersion, install: string): string {
  return `On each control-plane node in turn, ${install}, then run "kubeadm upgrade apply v${to.text}" on the first and "kubeadm upgrade node" on each other one, and restart kubelet`;
}
