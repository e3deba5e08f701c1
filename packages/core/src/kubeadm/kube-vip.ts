import { stringify } from "yaml";
import type { BootstrapContext, NodeRole } from "../contracts/bootstrap.js";

/**
 * kube-vip, pinned: the release its env names and manifest shape were read
 * from (kube-vip/kube-vip at v1.2.3: `pkg/kubevip/config_generator.go`,
 * `pkg/kubevip/config_envvar.go`).
 */
export const KUBE_VIP_IMAGE = "ghcr.io/kube-vip/kube-vip:v1.2.3";

/** Where every control-plane node keeps the manifest it runs once it is a member. */
export const KUBE_VIP_STAGED = "/etc/minos/kube-vip.yaml";
/** Where the kubelet runs static pods from. */
export const KUBE_VIP_MANIFEST = "/etc/kubernetes/manifests/kube-vip.yaml";

/**
 * kube-vip's static pod in ARP mode with leader election, as
 * `kube-vip manifest pod --arp --controlplane --leaderElection` writes it:
 * the leader answers ARP for the API address, and another control-plane
 * node takes it over within the lease (15 s) when the leader is gone. The
 * interface is left to kube-vip, which takes the default route's (eth0 on
 * Flatcar, enp1s0 on Fedora CoreOS). The kubeconfig is mounted where
 * kube-vip looks for it, with `kubernetes` resolving to this node, so it
 * reaches its own API server before it holds the address.
 *
 * @param kubeconfig The host file it authenticates with: `admin.conf`, or on
 *   the first node during `kubeadm init`, `super-admin.conf` (from
 *   Kubernetes 1.29, admin.conf gets its rights only at the end of init,
 *   after the address must already answer).
 */
export function kubeVipPod(
  address: string,
  port: number,
  kubeconfig: "admin.conf" | "super-admin.conf",
): string {
  const env: Record<string, string> = {
    vip_arp: "true",
    port: String(port),
    cp_enable: "true",
    cp_namespace: "kube-system",
    vip_leaderelection: "true",
    vip_leasename: "plndr-cp-lock",
    vip_leaseduration: "15",
    vip_renewdeadline: "10",
    vip_retryperiod: "2",
    address,
  };
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-vip", namespace: "kube-system" },
    spec: {
      containers: [
        {
          name: "kube-vip",
          image: KUBE_VIP_IMAGE,
          imagePullPolicy: "IfNotPresent",
          args: ["manager"],
          env: [
            ...Object.entries(env).map(([name, value]) => ({ name, value })),
            { name: "vip_nodename", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          ],
          securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"], drop: ["ALL"] } },
          volumeMounts: [{ name: "kubeconfig", mountPath: "/etc/kubernetes/admin.conf" }],
        },
      ],
      hostAliases: [{ ip: "127.0.0.1", hostnames: ["kubernetes"] }],
      hostNetwork: true,
      // `File`: the kubelet waits for kubeadm to write it, instead of making a directory there.
      volumes: [
        { name: "kubeconfig", hostPath: { path: `/etc/kubernetes/${kubeconfig}`, type: "File" } },
      ],
    },
  };
  return stringify(pod, { lineWidth: 0 });
}

/**
 * What a control-plane node needs to hold a virtual API address with
 * kube-vip, or nothing when the endpoint is not one.
 *
 * - Every control-plane node keeps the admin.conf manifest staged, and
 *   installs it once kubeadm is done (`installAfterKubeadm`): a joining
 *   node cannot have it in the manifests folder before, since
 *   `kubeadm join` insists on an empty one (preflight
 *   `DirAvailable--etc-kubernetes-manifests`), and admin.conf does not
 *   exist before the join.
 * - The first node runs it during `kubeadm init` already, with
 *   super-admin.conf: init checks only its own four manifests, and needs
 *   the address to answer before it finishes. Installing the staged one
 *   afterwards drops the super-admin credentials from the pod.
 */
export function kubeVipFiles(
  role: NodeRole,
  ctx: BootstrapContext,
): { files: { path: string; mode: number; contents: string }[]; installAfterKubeadm: string[] } {
  if (role === "worker" || !ctx.endpoint.virtualIp) return { files: [], installAfterKubeadm: [] };
  const { host, port } = ctx.endpoint;
  return {
    files: [
      { path: KUBE_VIP_STAGED, mode: 0o600, contents: kubeVipPod(host, port, "admin.conf") },
      ...(role === "control-plane"
        ? [
            {
              path: KUBE_VIP_MANIFEST,
              mode: 0o600,
              contents: kubeVipPod(host, port, "super-admin.conf"),
            },
          ]
        : []),
    ],
    installAfterKubeadm: [`/usr/bin/install -m 0600 ${KUBE_VIP_STAGED} ${KUBE_VIP_MANIFEST}`],
  };
}
