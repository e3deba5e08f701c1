/**
 * The comparison document: one run of minos' OS comparison as data, every
 * sample kept, so runs can be stored and compared over time. Its JSON
 * Schema is `docs/comparison.schema.json`, its fields are explained in
 * `docs/comparison.md`; `validateComparison` checks a parsed file against it.
 */

/** The version of the document's shape this code writes and reads. */
export const COMPARISON_SCHEMA_VERSION = 1;

/** One run of the comparison: its facts, its clusters, its probes and every result. */
export interface ComparisonDocument {
  /** The version of this shape: 1. */
  schemaVersion: typeof COMPARISON_SCHEMA_VERSION;
  /** True for a made-up document (docs, tests); every view of it says so. */
  sample?: boolean;
  /** When and with what the run was made. */
  run: ComparisonRun;
  /** Every cluster compared, in the order a report shows them. */
  clusters: ComparisonCluster[];
  /** Each probe by name: what ran and in which unit it measures. */
  probes: Record<string, ComparisonProbe>;
  /** One result per probe and cluster: every sample, or the reason there are none. */
  results: ComparisonResult[];
}

/** The facts of a run as a whole. */
export interface ComparisonRun {
  /** When the run started, ISO 8601 in UTC (`2026-05-04T09:12:00Z`). */
  startedAt: string;
  /** The minos release (the version of `@minos/core`) that made the clusters. */
  minosVersion: string;
  /** Free text: the stack, why the run was made. */
  note?: string;
}

/** One cluster's facts: where it ran, its shape and what its nodes say about themselves. */
export interface ComparisonCluster {
  /** The cluster's key in this document (`flatcar`); results name it. */
  name: string;
  /** Its OS: `flatcar`, `fcos`, `talos`, `bottlerocket`, or another OS package's name. */
  os: string;
  /** The platform it ran on: `aws`, `gcp`, `kvm`. */
  platform: string;
  /** The region (and zone) on a cloud, the libvirt host on KVM. */
  location: string;
  /** The Kubernetes release it ran (`1.35.2`). */
  kubernetesVersion: string;
  /** Its CNI plugin (`flannel`, `cilium`, `none`). */
  cni: string;
  /** Its machines: one entry per control plane and pool. */
  machines: ComparisonMachines[];
  /** What its nodes report (distinct values, comma-separated when they differ). */
  nodes: ComparisonNodeFacts;
  /** First-boot payload bytes by role or pool. */
  userDataBytes?: Record<string, number>;
  /**
   * What the host posture probe read that is no number, by fact
   * (`selinux`, `apparmor`, `lockdown`, `cgroupVersion`, `cmdline`):
   * distinct values across the nodes, comma-separated when they differ.
   */
  posture?: Record<string, string>;
}

/** A group of machines: the control plane or a pool. */
export interface ComparisonMachines {
  /** `control-plane`, or `worker/<pool>`. */
  group: string;
  /** The platform's machine type (`t3.medium`, `e2-standard-2`, `2 vCPU 4 GiB`). */
  machineType: string;
  /** How many machines. */
  count: number;
}

/** What a cluster's nodes report in their status. */
export interface ComparisonNodeFacts {
  /** The OS image (`Flatcar Container Linux by Kinvolk 4459.2.1 (Oklo)`). */
  image: string;
  /** The kernel release. */
  kernel: string;
  /** The container runtime and its version (`containerd://2.1.5`). */
  runtime: string;
  /** The kubelet's version (`v1.35.2`). */
  kubelet: string;
}

/** What a probe runs and measures. */
export interface ComparisonProbe {
  /** A short title for charts and tables (`Pod start`). */
  title: string;
  /** What it ran, pinned: `image:tag` or `image@sha256:…`; minos' own gates say `minos/<gate>@<version>`. */
  image: string;
  /** The unit of every sample (`s`, `ms`, `MiB`, `Mbit/s`, `bytes`). */
  unit: string;
  /** `lower` when less is better (times, memory), `higher` when more is (throughput). */
  better: "lower" | "higher";
}

/** A probe's result on one cluster. */
export interface ComparisonResult {
  /** A key of `probes`. */
  probe: string;
  /** A cluster's `name`. */
  cluster: string;
  /** `ok`, or `failed` with a reason (samples taken before the failure stay). */
  status: "ok" | "failed";
  /** Every sample, in the probe's unit, in the order taken. */
  samples: number[];
  /** Why it failed: required when `status` is `failed`. */
  reason?: string;
}
