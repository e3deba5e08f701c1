import { dnsJob } from "./dns.js";
import { hostPostureJob } from "./host-posture.js";
import { imagePullJob } from "./image-pull.js";
import type { Manifest } from "./manifest.js";
import { PART_OF } from "./manifest.js";
import { NETWORK_PATHS, networkObjects } from "./network.js";
import { podStartJob } from "./pod-start.js";
import type { ResolvedProbeSettings } from "./settings.js";

/**
 * The probes' namespace: `privileged` for Pod Security, which the host
 * posture pod needs (host PID, a host path); every other probe pod would
 * pass `baseline`.
 */
export function probeNamespace(s: ResolvedProbeSettings): Manifest {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: s.namespace,
      labels: {
        ...PART_OF,
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/warn": "privileged",
        "pod-security.kubernetes.io/audit": "privileged",
      },
    },
  };
}

/**
 * Every object the probes need in one cluster, namespace first, in the
 * order the collector runs them: pod start, image pull, DNS, the network
 * paths, host posture. The footprint needs none: the collector reads the
 * kubelets' Summary API and the nodes.
 */
export function probeObjects(s: ResolvedProbeSettings): Manifest[] {
  return [
    probeNamespace(s),
    podStartJob(s),
    imagePullJob(s),
    dnsJob(s),
    ...NETWORK_PATHS.flatMap((path) => networkObjects(s, path)),
    hostPostureJob(s),
  ];
}
