import type { IgnitionSpec } from "./build.js";

/** The GCE metadata server, which is also the VPC's DNS resolver. */
export const GCE_METADATA_ADDRESS = "169.254.169.254";

/** The unit that loads the rules; mask it in `extraIgnition` to let pods reach metadata. */
export const POD_METADATA_BLOCK_UNIT = "minos-pod-metadata-block.service";
export const POD_METADATA_BLOCK_RULES = "/etc/minos/pod-metadata-block.rules";

/**
 * iptables-restore input that drops traffic to the metadata server arriving
 * from anywhere but the node itself. The raw table's PREROUTING sees every
 * packet a pod sends through the host's stack (Flannel's bridge and veths,
 * Cilium with legacy host routing) and none the node sends (OUTPUT): the
 * node's agents and host-network pods keep it. DNS (53) stays open: the
 * metadata server is the VPC's resolver, which CoreDNS forwards to.
 */
export function podMetadataBlockRules(): string {
  const to = `-d ${GCE_METADATA_ADDRESS}/32`;
  const why = '-m comment --comment "minos: pods may not reach the GCE metadata server"';
  return [
    "*raw",
    `-A PREROUTING ${to} -p udp --dport 53 -j ACCEPT`,
    `-A PREROUTING ${to} -p tcp --dport 53 -j ACCEPT`,
    `-A PREROUTING ${to} ${why} -j DROP`,
    "COMMIT",
    "",
  ].join("\n");
}

/**
 * On GCE, instance metadata (a node's service-account token, its
 * attributes) is one HTTP request away from any pod: GCE has no hop limit
 * like IMDSv2's. This loads the rules above at every boot, before the
 * network and kubelet start.
 */
export function podMetadataBlock(): Pick<IgnitionSpec, "files" | "units"> {
  return {
    files: [{ path: POD_METADATA_BLOCK_RULES, mode: 0o644, contents: podMetadataBlockRules() }],
    units: [
      {
        name: POD_METADATA_BLOCK_UNIT,
        enabled: true,
        contents: [
          "[Unit]",
          "Description=Keep pods from the GCE metadata server",
          "DefaultDependencies=no",
          "After=local-fs.target",
          "Wants=network-pre.target",
          "Before=network-pre.target kubelet.service kubeadm.service",
          "",
          "[Service]",
          "Type=oneshot",
          "RemainAfterExit=yes",
          `ExecStart=/usr/sbin/iptables-restore --noflush ${POD_METADATA_BLOCK_RULES}`,
          "",
          "[Install]",
          "WantedBy=multi-user.target",
          "",
        ].join("\n"),
      },
    ],
  };
}
