/**
 * Settings keys a Bottlerocket Kubernetes node reads from user data,
 * transcribed from Bottlerocket's settings reference (the README's
 * "Description of settings": Kubernetes, kernel and host-container settings).
 * Maps whose keys are the user's own are marked "*".
 */
export const BOTTLEROCKET_SETTINGS: Record<string, readonly string[] | "*"> = {
  "": ["settings"],
  settings: [
    "motd",
    "kubernetes",
    "kernel",
    "host-containers",
    "updates",
    "network",
    "ntp",
    "metrics",
    "container-registry",
    "bootstrap-containers",
    "aws",
  ],
  // Kubernetes settings
  "settings.kubernetes": [
    "cluster-certificate",
    "api-server",
    "cluster-name",
    "cluster-dns-ip",
    "bootstrap-token",
    "node-labels",
    "node-taints",
    "cluster-domain",
    "standalone-mode",
    "cloud-provider",
    "authentication-mode",
    "server-tls-bootstrap",
    "eviction-hard",
    "allowed-unsafe-sysctls",
    "system-reserved",
    "registry-qps",
    "registry-burst",
    "event-qps",
    "event-burst",
    "kube-api-qps",
    "kube-api-burst",
    "container-log-max-size",
    "container-log-max-files",
    "cpu-manager-policy",
    "cpu-manager-reconcile-period",
    "static-pods",
    "node-ip",
    "pod-infra-container-image",
    "kube-reserved",
    "max-pods",
    "hostname-override",
    // The settings reference on bottlerocket-project-website (data/settings, kubernetes.toml):
    // `private-dns-name` (the aws-k8s default) or `instance-id`, since Bottlerocket 1.21.0.
    "hostname-override-source",
    "provider-id",
  ],
  "settings.kubernetes.node-labels": "*",
  "settings.kubernetes.node-taints": "*",
  "settings.kubernetes.eviction-hard": "*",
  "settings.kubernetes.system-reserved": "*",
  "settings.kubernetes.kube-reserved": "*",
  // Kernel settings
  "settings.kernel": ["lockdown", "sysctl"],
  "settings.kernel.sysctl": "*",
  // Host containers settings
  "settings.host-containers": "*",
  "settings.host-containers.admin": ["source", "enabled", "superpowered"],
  "settings.host-containers.control": ["source", "enabled", "superpowered"],
};

/** Every object path in a settings tree whose keys the reference does not document. */
export function undocumentedSettings(tree: unknown, path = ""): string[] {
  if (typeof tree !== "object" || tree === null || Array.isArray(tree)) return [];
  const allowed = BOTTLEROCKET_SETTINGS[path];
  if (allowed === undefined) return [`${path} (no reference section)`];
  return Object.entries(tree).flatMap(([key, value]) => {
    const child = path ? `${path}.${key}` : key;
    if (allowed !== "*" && !allowed.includes(key)) return [child];
    if (allowed === "*" && BOTTLEROCKET_SETTINGS[child] === undefined) return [];
    return undocumentedSettings(value, child);
  });
}
