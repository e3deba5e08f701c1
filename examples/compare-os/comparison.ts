import type {
  Cluster,
  ComparisonCluster,
  ComparisonDocument,
  ComparisonMachines,
  ComparisonResult,
} from "@minos/core";
import type { Posture, ProbeCollector } from "@minos/workload";
import { PROBES } from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";

/** One OS's row of the comparison table. */
export interface ComparisonRow {
  os: string;
  apiReadySeconds: number | null;
  nodesReadySeconds: number | null;
  osImage: string;
  kernel: string;
  runtime: string;
  kubelet: string;
  /** First-boot payload bytes by role or pool. */
  userDataBytes: Record<string, number>;
}

const distinct = (values: string[]) => [...new Set(values)].sort().join(", ");

/** A cluster's payload sizes by role or pool: not secret, though the payloads are. */
const payloadSizes = (cluster: Cluster) =>
  pulumi.unsecret(
    cluster.nodeConfigs.apply((configs) =>
      Object.fromEntries(Object.entries(configs).map(([k, v]) => [k, Buffer.byteLength(v)])),
    ),
  );

/** A cluster's row: the gates' timings, what its nodes report, and its payload sizes. */
export function comparisonRow(os: string, cluster: Cluster): pulumi.Output<ComparisonRow> {
  return pulumi
    .all([cluster.timings, cluster.nodes, payloadSizes(cluster)])
    .apply(([t, nodes, userDataBytes]) => ({
      os,
      apiReadySeconds: t.apiReadySeconds ?? null,
      nodesReadySeconds: t.nodesReadySeconds,
      osImage: distinct(nodes.map((n) => n.osImage)),
      kernel: distinct(nodes.map((n) => n.kernelVersion)),
      runtime: distinct(nodes.map((n) => n.containerRuntime)),
      kubelet: distinct(nodes.map((n) => n.kubeletVersion)),
      userDataBytes,
    }));
}

/** The rows as a Markdown table, for `pulumi stack output comparisonTable`. */
export function renderComparison(rows: ComparisonRow[]): string {
  const header = [
    "OS",
    "API ready (s)",
    "nodes Ready (s)",
    "kernel",
    "runtime",
    "kubelet",
    "user-data bytes",
  ];
  const cells = rows.map((r) => [
    r.os,
    r.apiReadySeconds?.toFixed(1) ?? "-",
    r.nodesReadySeconds?.toFixed(1) ?? "-",
    r.kernel || "-",
    r.runtime || "-",
    r.kubelet || "-",
    Object.entries(r.userDataBytes)
      .map(([k, v]) => `${k} ${v}`)
      .join(", "),
  ]);
  const line = (c: string[]) => `| ${c.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...cells.map(line)].join("\n");
}

/** One compared cluster, as the program made it. */
export interface Compared {
  /** Its key in the document: its OS's name here. */
  name: string;
  os: string;
  cluster: Cluster;
  collector: ProbeCollector;
  /** The groups its probes ran on. */
  machines: ComparisonMachines[];
}

/** What the host posture pods said, as facts: distinct values across the nodes. */
function postureFacts(posture: Posture[]): Record<string, string> | undefined {
  if (posture.length === 0) return undefined;
  const facts: Record<string, string> = {};
  for (const key of ["selinux", "apparmor", "lockdown", "cgroupVersion", "cmdline"] as const) {
    const value = distinct(posture.map((p) => String(p[key])).filter((v) => v !== ""));
    if (value !== "") facts[key] = value;
  }
  return facts;
}

/** A cluster's facts: where it ran, its shape, what its nodes and its posture probe report. */
function comparisonCluster(c: Compared, platform: string, location: string) {
  return pulumi
    .all([c.cluster.nodes, payloadSizes(c.cluster), c.collector.posture])
    .apply(([nodes, userDataBytes, posture]): ComparisonCluster => {
      const facts = postureFacts(posture ?? []);
      return {
        name: c.name,
        os: c.os,
        platform,
        location,
        kubernetesVersion: c.cluster.kubernetesVersion,
        cni: c.cluster.cni.plugin,
        machines: c.machines,
        nodes: {
          image: distinct(nodes.map((n) => n.osImage)) || "unknown",
          kernel: distinct(nodes.map((n) => n.kernelVersion)) || "unknown",
          runtime: distinct(nodes.map((n) => n.containerRuntime)) || "unknown",
          kubelet: distinct(nodes.map((n) => n.kubeletVersion)) || "unknown",
        },
        userDataBytes,
        ...(facts && { posture: facts }),
      };
    });
}

/** The readiness gates' timings, as the `api-ready` and `nodes-ready` results. */
function gateResults(c: Compared): pulumi.Output<ComparisonResult[]> {
  return c.cluster.timings.apply((t) => {
    const one = (probe: string, seconds: number | null | undefined): ComparisonResult =>
      typeof seconds === "number"
        ? { probe, cluster: c.name, status: "ok", samples: [seconds] }
        : { probe, cluster: c.name, status: "failed", samples: [], reason: "not measured" };
    return [one("api-ready", t.apiReadySeconds), one("nodes-ready", t.nodesReadySeconds)];
  });
}

/** What the document says of the run besides its clusters. */
export interface RunFacts {
  platform: string;
  location: string;
  minosVersion: string;
  note: string;
}

/**
 * The comparison document of this run (`docs/comparison.md`): every
 * cluster's facts, every probe (pinned), the readiness gates' timings and
 * every sample the collectors recorded; a probe that failed is a result
 * with its reason.
 */
export function comparisonDocument(
  compared: Compared[],
  run: RunFacts,
): pulumi.Output<ComparisonDocument> {
  return pulumi
    .all([
      pulumi.all(compared.map((c) => comparisonCluster(c, run.platform, run.location))),
      pulumi.all(compared.map(gateResults)),
      pulumi.all(compared.map((c) => c.collector.results)),
      pulumi.all(compared.map((c) => c.collector.startedAt)),
    ])
    .apply(
      ([clusters, gates, collected, started]): ComparisonDocument => ({
        schemaVersion: 1,
        run: {
          startedAt:
            [...started].filter((s) => typeof s === "string").sort()[0] ??
            new Date().toISOString().replace(/\.\d+Z$/, "Z"),
          minosVersion: run.minosVersion,
          note: run.note,
        },
        clusters: clusters as ComparisonCluster[],
        probes: { ...PROBES },
        results: compared.flatMap((_, i) => [
          ...(gates[i] ?? []),
          ...((collected[i] ?? []) as ComparisonResult[]),
        ]),
      }),
    );
}
