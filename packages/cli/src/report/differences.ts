import type { ComparisonCluster } from "@minos/core/render";
import type { ReportCluster } from "./summary.js";

/** A fact, other than the OS, on which the compared clusters differ. */
export interface Difference {
  /** The fact's name (`machine types`). */
  fact: string;
  /** Each value it takes, with the clusters that have it. */
  values: { value: string; clusters: string[] }[];
}

/** The facts that must match for a fair comparison, as the report names them. */
const FACTS: [string, (c: ComparisonCluster) => string][] = [
  ["platform", (c) => c.platform],
  ["location", (c) => c.location],
  ["Kubernetes version", (c) => c.kubernetesVersion],
  ["CNI", (c) => c.cni],
  ["machine types", (c) => c.machines.map((m) => `${m.group} ${m.machineType}`).join(", ")],
  ["machine counts", (c) => c.machines.map((m) => `${m.group} × ${m.count}`).join(", ")],
];

/** Every fact but the OS on which the clusters differ, each value with its clusters. */
export function differences(clusters: ReportCluster[]): Difference[] {
  return FACTS.flatMap(([fact, of]) => {
    const byValue = new Map<string, string[]>();
    for (const c of clusters) {
      const value = of(c.cluster);
      byValue.set(value, [...(byValue.get(value) ?? []), c.label]);
    }
    if (byValue.size < 2) return [];
    return [{ fact, values: [...byValue].map(([value, names]) => ({ value, clusters: names })) }];
  });
}
