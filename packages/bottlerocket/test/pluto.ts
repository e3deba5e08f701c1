/**
 * What Bottlerocket's pluto asks of AWS before settings-applier (and with
 * it kubelet) may start, transcribed from bottlerocket-core-kit
 * `sources/api/pluto/src/main.rs` (`generate_node_name` and friends).
 * pluto runs before settings-applier (`pluto.service`: RequiredBy=
 * settings-applier.service), so a call it cannot make stops the node.
 */

/**
 * The kubernetes settings every aws-k8s variant (1.26 and newer, so every one
 * minos supports) starts from: `sources/shared-defaults/kubernetes-aws-external-cloud-provider.toml`,
 * linked into each variant's `defaults.d`.
 */
export const AWS_K8S_DEFAULTS = {
  "cloud-provider": "external",
  "hostname-override-source": "private-dns-name",
} as const;

/** `KubernetesHostnameOverrideSource` in the settings model: exactly these two. */
export const HOSTNAME_OVERRIDE_SOURCES = ["private-dns-name", "instance-id"] as const;

/**
 * The IAM actions pluto must be allowed for a node with these user-data
 * settings to be named (a failed call there fails the boot). Instance
 * metadata needs none. `cluster-dns-ip`, when unset, sends pluto to EKS's
 * DescribeCluster, but a failure there falls back to metadata, so it is not
 * listed.
 */
export function plutoNeeds(userData: { settings: { kubernetes: Record<string, unknown> } }): {
  actions: string[];
  nodeName: "hostname-override" | "instance-id" | "private-dns-name" | "os-hostname";
} {
  const k: Record<string, unknown> = { ...AWS_K8S_DEFAULTS, ...userData.settings.kubernetes };
  // An explicit name wins over any source.
  if (k["hostname-override"] !== undefined) return { actions: [], nodeName: "hostname-override" };
  const source = k["hostname-override-source"];
  if (source === undefined || source === null) return { actions: [], nodeName: "os-hostname" };
  if (!(HOSTNAME_OVERRIDE_SOURCES as readonly unknown[]).includes(source))
    throw new Error(
      `Bottlerocket's API refuses hostname-override-source ${JSON.stringify(source)}`,
    );
  // Both read the instance ID from metadata; only the DNS name needs EC2.
  return source === "private-dns-name"
    ? { actions: ["ec2:DescribeInstances"], nodeName: "private-dns-name" }
    : { actions: [], nodeName: "instance-id" };
}

/**
 * Actions allowed by AWS managed policies minos attaches, from AWS's
 * managed-policy reference (AmazonEKSWorkerNodePolicy v3). Others attached
 * grant nothing pluto calls.
 */
export const MANAGED_POLICY_ACTIONS: Record<string, readonly string[]> = {
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy": [
    "ec2:DescribeInstances",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVolumes",
    "ec2:DescribeVolumesModifications",
    "ec2:DescribeVpcs",
    "eks:DescribeCluster",
    "eks-auth:AssumeRoleForPodIdentity",
  ],
};

/** Whether an IAM action pattern (`ec2:Describe*`, `*`) covers an action. */
export function allows(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  );
  return re.test(action);
}
