import type { Cluster } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/** One OS's row of the comparison. */
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

/** A cluster's row: the gates' timings, what its nodes report, and its payload sizes. */
export function comparisonRow(os: string, cluster: Cluster): pulumi.Output<ComparisonRow> {
  // Payload sizes are not secret, though the payloads are.
  const sizes = pulumi.unsecret(
    cluster.nodeConfigs.apply((configs) =>
      Object.fromEntries(Object.entries(configs).map(([k, v]) => [k, Buffer.byteLength(v)])),
    ),
  );
  return pulumi.all([cluster.timings, cluster.nodes, sizes]).apply(([t, nodes, userDataBytes]) => ({
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
