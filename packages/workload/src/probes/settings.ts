import { MinosError, refuseUnknownKeys } from "@minos/core";

/** How much each probe does: the same on every cluster compared. */
export interface ProbeSettings {
  /** The namespace every probe object lives in. Default `minos-probes`. */
  namespace?: string;
  /** Nodes that take the per-node probes (image pull, host posture): every node of the cluster. */
  nodes: number;
  /** Pods the pod-start probe creates at once. Default 10. */
  pods?: number;
  /** Lookups of each name the DNS probe makes. Default 20. */
  dnsLookups?: number;
  /** Seconds each iperf3 client sends for. Default 10. */
  iperfSeconds?: number;
  /** Reads of every node's kubelet Summary API. Default 3. */
  summaryReads?: number;
  /**
   * Rounds of the load balancer and volume probe: each makes a claim, a pod
   * and a Service of type `LoadBalancer`, times them, and deletes them.
   * Default 3.
   */
  lbVolumeRounds?: number;
  /**
   * Seconds each probe may take before it is a failed result; for the load
   * balancer and volume probe, each of its waits (the pod, the address, the
   * deletion). Default 300.
   */
  timeoutSeconds?: number;
  /**
   * Nodes with any of these labels take no probe: on AWS, compare-os's
   * Bottlerocket workers in the Flatcar cluster, so its results stay Flatcar's.
   */
  skipNodesLabelled?: Record<string, string>;
}

/** The settings with every default applied. */
export type ResolvedProbeSettings = Required<ProbeSettings>;

const KEYS = [
  "namespace",
  "nodes",
  "pods",
  "dnsLookups",
  "iperfSeconds",
  "summaryReads",
  "lbVolumeRounds",
  "timeoutSeconds",
  "skipNodesLabelled",
];

/** Defaults applied and every value checked: a MinosError naming the argument, before any resource. */
export function resolveProbeSettings(settings: ProbeSettings): ResolvedProbeSettings {
  refuseUnknownKeys("probes", settings, KEYS);
  const s: ResolvedProbeSettings = {
    namespace: "minos-probes",
    pods: 10,
    dnsLookups: 20,
    iperfSeconds: 10,
    summaryReads: 3,
    lbVolumeRounds: 3,
    timeoutSeconds: 300,
    skipNodesLabelled: {},
    ...settings,
  };
  const whole = (key: keyof ProbeSettings, least: number, most: number) => {
    const v = s[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < least || v > most)
      throw new MinosError(`probes.${key}`, v, `give a whole number from ${least} to ${most}`);
  };
  whole("nodes", 1, 100);
  whole("pods", 1, 100);
  whole("dnsLookups", 1, 1000);
  whole("iperfSeconds", 1, 120);
  whole("summaryReads", 1, 20);
  whole("lbVolumeRounds", 1, 20);
  whole("timeoutSeconds", 30, 3600);
  if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s.namespace))
    throw new MinosError("probes.namespace", s.namespace, "give a DNS label (a-z, 0-9, -)");
  return s;
}
