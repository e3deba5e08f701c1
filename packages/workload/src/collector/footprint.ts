import type { NodeFootprint } from "../probes/parse/kubelet-summary.js";
import { parseKubeletSummary } from "../probes/parse/kubelet-summary.js";
import type { NodeJson } from "../probes/parse/quantity.js";
import { reservedMemoryMib } from "../probes/parse/quantity.js";
import type { Clock } from "./jobs.js";
import type { KubeApi } from "./kube-api.js";
import type { CollectorPlan, ProbeOutcome } from "./plan.js";

/** The footprint's probes, by the field of a Summary read each one takes. */
const FIELDS: [string, Exclude<keyof NodeFootprint, "node">][] = [
  ["node-memory", "nodeMemory"],
  ["rootfs-used", "rootfsUsed"],
  ["imagefs-used", "imagefsUsed"],
  ["kubelet-memory", "kubeletMemory"],
  ["runtime-memory", "runtimeMemory"],
  ["kubelet-cpu", "kubeletCpu"],
];

/**
 * The OS's own footprint, with nothing run: every node's kubelet Summary
 * through the API server (`/api/v1/nodes/<node>/proxy/stats/summary`),
 * `summaryReads` times, `summaryIntervalSeconds` apart, one sample per
 * node and read; and each node's capacity minus allocatable memory. Nodes
 * with a label of `skipNodesLabelled` are left out.
 */
export async function readFootprint(
  api: KubeApi,
  plan: Pick<CollectorPlan, "summaryReads" | "summaryIntervalSeconds" | "skipNodesLabelled">,
  clock: Clock,
): Promise<ProbeOutcome[]> {
  let nodes: NodeJson[];
  try {
    nodes = ((await api.getJson<{ items?: NodeJson[] }>("/api/v1/nodes")).items ?? []).filter(
      (n) =>
        !Object.entries(plan.skipNodesLabelled).some(([k, v]) => n.metadata?.labels?.[k] === v),
    );
  } catch (e) {
    const reason = `the API: ${(e as Error).message}`;
    return [...FIELDS.map(([p]) => p), "reserved-memory"].map((probe) => ({
      probe,
      status: "failed" as const,
      samples: [],
      reason,
    }));
  }
  const samples: Record<string, number[]> = {};
  const reasons: string[] = [];
  for (let read = 0; read < plan.summaryReads; read++) {
    if (read > 0)
      await (clock.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(
        plan.summaryIntervalSeconds * 1000,
      );
    for (const n of nodes) {
      const name = n.metadata?.name ?? "";
      const path = `/api/v1/nodes/${name}/proxy/stats/summary`;
      const answer = await api.request("GET", path);
      if (answer.status !== 200) {
        reasons.push(`${name}'s summary: ${answer.error ?? `HTTP ${answer.status}`}`);
        continue;
      }
      try {
        const f = parseKubeletSummary(answer.body);
        for (const [probe, field] of FIELDS) {
          const v = f[field];
          if (v !== undefined) samples[probe] = [...(samples[probe] ?? []), v];
        }
      } catch (e) {
        reasons.push(`${name}'s summary: ${(e as Error).message}`);
      }
    }
  }
  const want = nodes.length * plan.summaryReads;
  const results: ProbeOutcome[] = FIELDS.map(([probe]) => {
    const s = samples[probe] ?? [];
    return s.length >= want && s.length > 0
      ? { probe, status: "ok", samples: s }
      : {
          probe,
          status: "failed",
          samples: s,
          reason:
            reasons[0] ??
            (nodes.length === 0
              ? "no node to read"
              : `${s.length} of ${want} reads gave it (the kubelet left it out)`),
        };
  });
  const reserved = nodes.map(reservedMemoryMib).filter((v): v is number => v !== undefined);
  results.push(
    reserved.length === nodes.length && reserved.length > 0
      ? { probe: "reserved-memory", status: "ok", samples: reserved }
      : {
          probe: "reserved-memory",
          status: "failed",
          samples: reserved,
          reason:
            nodes.length === 0
              ? "no node to read"
              : "a node reports no memory capacity or allocatable",
        },
  );
  return results;
}
