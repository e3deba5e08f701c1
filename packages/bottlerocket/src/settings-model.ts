import { closest, MinosError } from "@minos/core/render";

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

/**
 * Bottlerocket's modeled types for the values minos and its users most often
 * set (bottlerocket-settings-models: modeled-types `KubernetesClusterName`,
 * `KubernetesTaintValue`, `KubernetesLabelValue`, `KubernetesBootstrapToken`,
 * `Url`; sysctl values are strings). Its API server refuses any other value
 * at boot, and its models deny unknown fields.
 */
const VALUES: Record<string, { ok: (v: unknown) => boolean; allowed: string }> = {
  "settings.kubernetes.cluster-name": {
    ok: (v) => typeof v === "string" && /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(v),
    allowed: "a name matching ^[0-9A-Za-z][A-Za-z0-9-_]{0,99}$",
  },
  "settings.kubernetes.api-server": {
    ok: (v) => typeof v === "string" && URL.canParse(v),
    allowed: "a URL",
  },
  "settings.kubernetes.bootstrap-token": {
    ok: (v) => typeof v === "string" && /^[a-z0-9]{6}\.[a-z0-9]{16}$/.test(v),
    allowed: "a bootstrap token like abcdef.0123456789abcdef",
  },
  "settings.kubernetes.max-pods": {
    ok: (v) => Number.isInteger(v) && (v as number) > 0,
    allowed: "a whole number above 0",
  },
  "settings.kubernetes.node-labels.*": {
    ok: (v) =>
      typeof v === "string" && /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/.test(v),
    allowed: "a label value (up to 63 letters, digits, - _ .)",
  },
  "settings.kubernetes.node-taints.*": {
    ok: (v) =>
      Array.isArray(v) &&
      v.length > 0 &&
      v.every(
        (t) =>
          typeof t === "string" &&
          /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?:(NoSchedule|PreferNoSchedule|NoExecute)$/.test(
            t,
          ),
      ),
    allowed: 'a list of "value:Effect", Effect one of NoSchedule, PreferNoSchedule, NoExecute',
  },
  "settings.kernel.sysctl.*": {
    ok: (v) => typeof v === "string",
    allowed: 'a string, e.g. "1" (Bottlerocket takes sysctl values as strings)',
  },
  "settings.host-containers.*.enabled": {
    ok: (v) => typeof v === "boolean",
    allowed: "true or false",
  },
};

/**
 * The value rule for `key` under `parent`, `*` standing for one user-named
 * key (itself possibly dotted: sysctl names are).
 */
function ruleFor(parent: string, key: string): (typeof VALUES)[string] | undefined {
  const container = /^settings\.host-containers\.[^.]+$/.test(parent);
  return (
    VALUES[`${parent}.${key}`] ??
    VALUES[`${parent}.*`] ??
    (container ? VALUES[`settings.host-containers.*.${key}`] : undefined)
  );
}

/**
 * Checks what sits at `path` of a settings tree (`settings` for what a user
 * merges under it) as Bottlerocket's settings model would at boot: every key
 * documented, every modeled value valid. The MinosError names `argument`
 * plus the path below `settings` (`extraSettings.kubernetes.max-pod`).
 */
export function validateSettings(argument: string, tree: unknown, path = "settings"): void {
  if (typeof tree !== "object" || tree === null || Array.isArray(tree)) return;
  const named = (at: string) => `${argument}${at.replace(/^settings/, "")}`;
  const allowed = BOTTLEROCKET_SETTINGS[path];
  for (const [key, value] of Object.entries(tree)) {
    const child = `${path}.${key}`;
    if (allowed !== undefined && allowed !== "*" && !allowed.includes(key)) {
      const hint = closest(key, allowed);
      throw new MinosError(
        named(child),
        value,
        `Bottlerocket has no such setting${hint ? ` (did you mean ${hint}?)` : ""}; under ${path} it takes ${allowed.join(", ")}`,
      );
    }
    // A removal (RFC 7386 null) is always allowed.
    if (value === null) continue;
    const rule = ruleFor(path, key);
    if (rule && !rule.ok(value)) throw new MinosError(named(child), value, `use ${rule.allowed}`);
    // A section is a TOML table: Bottlerocket refuses anything else at boot.
    const section = BOTTLEROCKET_SETTINGS[child];
    if (section !== undefined && (typeof value !== "object" || Array.isArray(value)))
      throw new MinosError(
        named(child),
        value,
        section === "*"
          ? "use a table (an object) of names to values"
          : `use a table (an object) of settings: ${section.join(", ")}`,
      );
    // Sections minos has no reference for are Bottlerocket's to check.
    if (section !== undefined || allowed === "*") validateSettings(argument, value, child);
  }
}

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
