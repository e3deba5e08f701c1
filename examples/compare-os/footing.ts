import type { ComparisonMachines } from "@minos/core";

/** What must be the same in every cluster for a comparison to be about the OS. */
export interface Footing {
  name: string;
  platform: string;
  kubernetesVersion: string;
  cni: string;
  machines: ComparisonMachines[];
}

/**
 * Every fact but the OS on which the clusters differ, as sentences
 * (`CNI: flannel (flatcar, fcos), cilium (talos)`); empty when they stand
 * on equal footing. Checked before any resource exists.
 */
export function footingDifferences(clusters: Footing[]): string[] {
  const facts: [string, (c: Footing) => string][] = [
    ["platform", (c) => c.platform],
    ["Kubernetes version", (c) => c.kubernetesVersion],
    ["CNI", (c) => c.cni],
    ["machine types", (c) => c.machines.map((m) => `${m.group} ${m.machineType}`).join(", ")],
    ["machine counts", (c) => c.machines.map((m) => `${m.group} × ${m.count}`).join(", ")],
  ];
  return facts.flatMap(([fact, of]) => {
    const byValue = new Map<string, string[]>();
    for (const c of clusters) byValue.set(of(c), [...(byValue.get(of(c)) ?? []), c.name]);
    if (byValue.size < 2) return [];
    return [
      `${fact}: ${[...byValue].map(([value, names]) => `${value} (${names.join(", ")})`).join(", ")}`,
    ];
  });
}
