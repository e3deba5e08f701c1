import { AGNHOST_IMAGE } from "../versions.js";
import type { Manifest } from "./manifest.js";
import { probeJob } from "./manifest.js";
import type { ResolvedProbeSettings } from "./settings.js";

/** The names the DNS probe looks up: a Service's, answered by the cluster's DNS, and one it forwards. */
export const DNS_NAMES = {
  service: "kubernetes.default.svc.cluster.local",
  external: "example.com",
} as const;

/**
 * DNS: one pod of Kubernetes' e2e image runs `dig` (bind-tools, in the
 * image) `dnsLookups` times for each name, against the pod's own resolver
 * (the cluster's DNS), one try of 2 s each; each lookup's output follows a
 * `== <name>` line for the collector.
 */
export function dnsJob(s: ResolvedProbeSettings): Manifest {
  const names = `${DNS_NAMES.service} ${DNS_NAMES.external}`;
  const script = [
    `for i in $(seq 1 ${s.dnsLookups}); do`,
    `  for name in ${names}; do`,
    `    echo "== $name"`,
    `    dig +tries=1 +time=2 "$name" A 2>&1 || true`,
    "  done",
    "done",
  ].join("\n");
  return probeJob(s, {
    name: "dns",
    probe: "dns",
    parallelism: 1,
    pod: {
      automountServiceAccountToken: false,
      containers: [
        {
          name: "dig",
          image: AGNHOST_IMAGE,
          command: ["bash", "-c", script],
          resources: { requests: { cpu: "10m", memory: "16Mi" } },
        },
      ],
    },
  });
}
