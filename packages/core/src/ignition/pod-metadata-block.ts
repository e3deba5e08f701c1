import { podMetadataBlockRules } from "../pod-metadata-rules.js";
import type { IgnitionSpec } from "./build.js";

/** The unit that loads the rules; mask it in `extraIgnition` to let pods reach metadata. */
export const POD_METADATA_BLOCK_UNIT = "minos-pod-metadata-block.service";
export const POD_METADATA_BLOCK_RULES = "/etc/minos/pod-metadata-block.rules";

/**
 * On GCE, instance metadata (a node's service-account token, its
 * attributes) is one HTTP request away from any pod: GCE has no hop limit
 * like IMDSv2's. This loads the iptables form of the block at every
 * boot, before the network and kubelet start.
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
