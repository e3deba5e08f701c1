import { GCE_METADATA_ADDRESS, podMetadataBlockNftables } from "@minos/core/render";

/** The static pod's name, in kube-system (its mirror pod is `<name>-<node>`). */
export const POD_METADATA_BLOCK_POD = "minos-pod-metadata-block";

/**
 * A static pod (`machine.pods`) that keeps pods from the GCE metadata
 * server on a Talos node: Talos's own firewall filters only what is
 * addressed to the node (v1.13.9 `nftables_chain_config.go` accepts
 * everything else in prerouting, and has no forward hook), so the machine
 * config cannot say it. The pod runs `nft` from the kube-proxy image of
 * the cluster's release (kubernetes/release's distroless-iptables ships
 * nft for kube-proxy's nftables mode), the image every node pulls anyway,
 * with the ruleset as its one argument: no shell, no file. It runs once
 * per boot, when the kubelet starts; a failure is retried.
 */
export function podMetadataBlockPod(kubernetesVersion: string): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: POD_METADATA_BLOCK_POD,
      namespace: "kube-system",
      labels: {
        "app.kubernetes.io/name": POD_METADATA_BLOCK_POD,
        "app.kubernetes.io/managed-by": "minos",
      },
      annotations: {
        "minos.dev/why": `pods may not reach the GCE metadata server (${GCE_METADATA_ADDRESS}), except DNS`,
      },
    },
    spec: {
      hostNetwork: true,
      restartPolicy: "OnFailure",
      priorityClassName: "system-node-critical",
      containers: [
        {
          name: "nft",
          image: `registry.k8s.io/kube-proxy:v${kubernetesVersion}`,
          command: ["nft", podMetadataBlockNftables()],
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] },
          },
          resources: { requests: { cpu: "10m", memory: "16Mi" } },
        },
      ],
    },
  };
}
