import { PULL_IMAGE } from "../versions.js";
import type { Manifest } from "./manifest.js";
import { byHost, CONTROL_PLANE_TOLERATION, PROBE_LABEL, probeJob } from "./manifest.js";
import type { ResolvedProbeSettings } from "./settings.js";

/**
 * Image pull: one pod per node (never two on one, control planes included)
 * pulls `PULL_IMAGE` with `imagePullPolicy: Always` and exits. The collector
 * times each pull from the kubelet's `Pulled` event ("Successfully pulled
 * image … in 1.234s").
 */
export function imagePullJob(s: ResolvedProbeSettings): Manifest {
  return probeJob(s, {
    name: "image-pull",
    probe: "image-pull",
    parallelism: s.nodes,
    pod: {
      automountServiceAccountToken: false,
      tolerations: [CONTROL_PLANE_TOLERATION],
      affinity: { podAntiAffinity: byHost({ [PROBE_LABEL]: "image-pull" }) },
      containers: [
        {
          name: "pull",
          image: PULL_IMAGE,
          imagePullPolicy: "Always",
          command: ["nginx", "-v"],
          resources: { requests: { cpu: "1m", memory: "4Mi" } },
        },
      ],
    },
  });
}
