/**
 * Rules that keep pods from the GCE metadata server, in the two forms the
 * OSes load: iptables-restore input (Flatcar and FCOS, at boot) and an nft
 * ruleset (Talos, from a static pod). Both drop, before routing, traffic
 * to the metadata server that arrives from elsewhere than the node itself,
 * except DNS.
 */

/** The GCE metadata server, which is also the VPC's DNS resolver. */
export const GCE_METADATA_ADDRESS = "169.254.169.254";

const WHY = "minos: pods may not reach the GCE metadata server";

/**
 * iptables-restore input for the raw table's PREROUTING. That hook sees
 * every packet a pod sends through the host's stack (Flannel's bridge and
 * veths, Cilium with legacy host routing) and none the node sends
 * (OUTPUT): the node's agents and host-network pods keep it. DNS (53)
 * stays open: the metadata server is the VPC's resolver, which CoreDNS
 * forwards to.
 */
export function podMetadataBlockRules(): string {
  const to = `-d ${GCE_METADATA_ADDRESS}/32`;
  return [
    "*raw",
    `-A PREROUTING ${to} -p udp --dport 53 -j ACCEPT`,
    `-A PREROUTING ${to} -p tcp --dport 53 -j ACCEPT`,
    `-A PREROUTING ${to} -m comment --comment "${WHY}" -j DROP`,
    "COMMIT",
    "",
  ].join("\n");
}

/** The nft table the ruleset below owns, and nothing else. */
export const POD_METADATA_BLOCK_TABLE = "minos_metadata";

/**
 * The same rules as one nft transaction on a table of their own, at the
 * raw priority of the prerouting hook. A drop in any base chain is final,
 * so no other table's accept (Talos's, kube-proxy's) lets the packet
 * through. Declaring, deleting and redefining the table makes a second
 * run replace the first instead of adding to it.
 */
export function podMetadataBlockNftables(): string {
  const to = `ip daddr ${GCE_METADATA_ADDRESS}`;
  const table = `table ip ${POD_METADATA_BLOCK_TABLE}`;
  return [
    table,
    `delete ${table}`,
    `${table} {`,
    "  chain prerouting {",
    "    type filter hook prerouting priority raw; policy accept;",
    `    ${to} udp dport 53 accept`,
    `    ${to} tcp dport 53 accept`,
    `    ${to} counter drop comment "${WHY}"`,
    "  }",
    "}",
    "",
  ].join("\n");
}
