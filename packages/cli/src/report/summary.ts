import type { ComparisonCluster, ComparisonDocument, ComparisonResult } from "@minos/core/render";

/** One comparison file as the report shows it: its label and document. */
export interface LoadedComparison {
  /** The file's name as given on the command line. */
  label: string;
  document: ComparisonDocument;
}

/** One cluster of one file, as a row or a bar of the report. */
export interface ReportCluster {
  /** The file it came from. */
  file: string;
  cluster: ComparisonCluster;
  /** `flatcar`, or `flatcar (run-b.json)` when several files are shown. */
  label: string;
}

/** A probe's result on one cluster, with its median and spread. */
export interface ProbeBar {
  at: ReportCluster;
  result: ComparisonResult | undefined;
  min?: number;
  median?: number;
  max?: number;
}

/** The median of samples (the mean of the middle two for an even count). */
export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Every cluster of every file, in file order, labelled so that none is ambiguous. */
export function reportClusters(files: LoadedComparison[]): ReportCluster[] {
  const several = files.length > 1;
  return files.flatMap((f) =>
    f.document.clusters.map((cluster) => ({
      file: f.label,
      cluster,
      label: several ? `${cluster.name} (${f.label})` : cluster.name,
    })),
  );
}

/** Every probe named in any file, in first-seen order, with the first file's description. */
export function reportProbes(files: LoadedComparison[]) {
  const probes = new Map<string, ComparisonDocument["probes"][string]>();
  for (const f of files)
    for (const [name, probe] of Object.entries(f.document.probes))
      if (!probes.has(name)) probes.set(name, probe);
  return [...probes.entries()];
}

/** A probe's bar for every cluster: its samples' min, median and max where there are any. */
export function probeBars(files: LoadedComparison[], probe: string): ProbeBar[] {
  return reportClusters(files).map((at) => {
    const doc = files.find((f) => f.label === at.file)?.document;
    const result = doc?.results.find((r) => r.probe === probe && r.cluster === at.cluster.name);
    if (result?.status !== "ok" || result.samples.length === 0) return { at, result };
    return {
      at,
      result,
      min: Math.min(...result.samples),
      median: median(result.samples),
      max: Math.max(...result.samples),
    };
  });
}

/** A number as the report prints it: at most three significant decimals, no trailing zeros. */
export function formatNumber(n: number): string {
  const digits = Math.abs(n) >= 100 ? 0 : Math.abs(n) >= 10 ? 1 : 2;
  return Number(n.toFixed(digits)).toString();
}

/** The columns of `clusterFacts`, in order. */
export const FACT_COLUMNS = [
  "platform",
  "location",
  "Kubernetes",
  "CNI",
  "machines",
  "OS image",
  "kernel",
  "runtime",
  "kubelet",
] as const;

/**
 * What both report formats show of a cluster after its name and OS: its
 * values under `FACT_COLUMNS`, in that order.
 */
export function clusterFacts(c: ComparisonCluster): string[] {
  return [
    c.platform,
    c.location,
    c.kubernetesVersion,
    c.cni,
    c.machines.map((m) => `${m.group} ${m.machineType} × ${m.count}`).join(", "),
    c.nodes.image,
    c.nodes.kernel,
    c.nodes.runtime,
    c.nodes.kubelet,
  ];
}

/** How the report names the host posture facts, in the order it shows them; any other follows by its key. */
const POSTURE_NAMES: [string, string][] = [
  ["selinux", "SELinux"],
  ["apparmor", "AppArmor"],
  ["lockdown", "lockdown"],
  ["cgroupVersion", "cgroup"],
  ["cmdline", "kernel command line"],
];

/**
 * A cluster's host posture facts (`posture`: what the host posture probe
 * read that is no number), one `name: value` each, in a fixed order; none
 * when the document has none.
 */
export function postureFacts(c: ComparisonCluster): string[] {
  const posture = c.posture ?? {};
  const known = new Map(POSTURE_NAMES);
  const keys = [
    ...POSTURE_NAMES.map(([k]) => k).filter((k) => k in posture),
    ...Object.keys(posture)
      .filter((k) => !known.has(k))
      .sort(),
  ];
  return keys.map((k) => `${known.get(k) ?? k}: ${posture[k]}`);
}
