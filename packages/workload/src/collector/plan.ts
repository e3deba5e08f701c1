import type { LbVolumeObjects, LbVolumeParts } from "../probes/lb-volume.js";
import type { Manifest } from "../probes/manifest.js";

/** A probe's result on the cluster the collector ran in (the document's result, less the cluster). */
export interface ProbeOutcome {
  probe: string;
  status: "ok" | "failed";
  samples: number[];
  reason?: string;
}

/** What the collector runs, all from the probes' settings. */
export interface CollectorPlan {
  /** The probes' namespace. */
  namespace: string;
  /** Every probe Job's manifest, as `Probes` made it (to make one again that ran). */
  jobs: Manifest[];
  /** Pods of the pod-start probe; nodes of the per-node probes. */
  pods: number;
  nodes: number;
  /** Reads of every node's Summary, `summaryIntervalSeconds` apart. */
  summaryReads: number;
  summaryIntervalSeconds: number;
  /** Each probe's deadline, as its Job has it; the collector waits `graceSeconds` longer. */
  timeoutSeconds: number;
  graceSeconds: number;
  /** Nodes with any of these labels are left out of the footprint. */
  skipNodesLabelled: Record<string, string>;
  /** The load balancer and volume probe: what the cluster has, what each round makes, how many rounds. */
  lbVolume: LbVolumeParts & { rounds: number; objects: LbVolumeObjects };
}
