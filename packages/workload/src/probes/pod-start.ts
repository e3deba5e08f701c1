import { PAUSE_IMAGE } from "../versions.js";
import type { Manifest } from "./manifest.js";
import { probeJob } from "./manifest.js";
import type { ResolvedProbeSettings } from "./settings.js";

/**
 * Pod start: `pods` pods of the pause image at once (one Job, all in
 * parallel), on the workers. The collector reads each pod's own timestamps:
 * created, PodScheduled, the container's `startedAt`, Ready. The pods run
 * until the Job's deadline ends them.
 */
export function podStartJob(s: ResolvedProbeSettings): Manifest {
  return probeJob(s, {
    name: "pod-start",
    probe: "pod-start",
    parallelism: s.pods,
    pod: {
      automountServiceAccountToken: false,
      containers: [
        {
          name: "pause",
          image: PAUSE_IMAGE,
          imagePullPolicy: "IfNotPresent",
          resources: { requests: { cpu: "1m", memory: "4Mi" } },
        },
      ],
    },
  });
}
