import type { BootstrapContext } from "@minos/core";
import { parseKubernetesVersion } from "@minos/core";

/**
 * A worker's bootstrap context for rendering tests; override what a test is
 * about (`kubernetesVersion` as text, parsed here).
 */
export function workerContext(
  over: Partial<BootstrapContext> & { kubernetesVersion?: string } = {},
): BootstrapContext {
  const { kubernetesVersion = "1.36.5", ...rest } = over;
  return {
    clusterName: "dev",
    kubernetes: parseKubernetesVersion("kubernetesVersion", kubernetesVersion),
    endpoint: { host: "api.dev.test", port: 6443 },
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/12",
    certSans: [],
    platform: "kvm",
    arch: "amd64",
    join: { caCertPem: "CA", bootstrapToken: "abcdef.0123456789abcdef", caCertHash: "sha256:00ff" },
    node: { pool: "general", labels: {}, taints: [], kubeletExtraArgs: {}, sshAuthorizedKeys: [] },
    osUpdates: { mode: "coordinated" },
    ...rest,
  };
}
