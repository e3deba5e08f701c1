/**
 * The parts of the kubelet's Summary API (`stats/v1alpha1`, kubernetes/kubernetes
 * `staging/src/k8s.io/kubelet/pkg/apis/stats/v1alpha1/types.go`) the
 * footprint reads. Every number is optional there (`omitempty` pointers).
 */
interface SummaryJson {
  node?: {
    nodeName?: string;
    systemContainers?: {
      name?: string;
      cpu?: { usageNanoCores?: number };
      memory?: { workingSetBytes?: number };
    }[];
    memory?: { workingSetBytes?: number };
    fs?: { usedBytes?: number };
    runtime?: { imageFs?: { usedBytes?: number } };
  };
}

/** One read of one node's footprint; a field the kubelet left out is absent. */
export interface NodeFootprint {
  node: string;
  /** The node's memory working set, MiB. */
  nodeMemory?: number;
  /** The root filesystem's (`fs`, the kubelet's) used bytes, MiB. */
  rootfsUsed?: number;
  /** The image filesystem's (`runtime.imageFs`) used bytes, MiB. */
  imagefsUsed?: number;
  /** The `kubelet` system container's memory working set, MiB. */
  kubeletMemory?: number;
  /** The `runtime` system container's memory working set, MiB. */
  runtimeMemory?: number;
  /** The `kubelet` system container's CPU, millicores. */
  kubeletCpu?: number;
}

const mib = (bytes: number | undefined) =>
  typeof bytes === "number" ? Math.round((bytes / 2 ** 20) * 10) / 10 : undefined;

/**
 * Reads a `GET /api/v1/nodes/<node>/proxy/stats/summary` body. Memory and
 * filesystem bytes in MiB (one decimal), CPU from `usageNanoCores` in
 * millicores. Throws on a body that is not the Summary's JSON.
 */
export function parseKubeletSummary(body: string): NodeFootprint {
  const json = JSON.parse(body) as SummaryJson;
  const node = json.node;
  if (!node || typeof node !== "object") throw new Error("no node in the kubelet's summary");
  const system = (name: string) => (node.systemContainers ?? []).find((c) => c.name === name);
  const nano = system("kubelet")?.cpu?.usageNanoCores;
  const out: NodeFootprint = { node: node.nodeName ?? "" };
  const put = (key: Exclude<keyof NodeFootprint, "node">, value: number | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  put("nodeMemory", mib(node.memory?.workingSetBytes));
  put("rootfsUsed", mib(node.fs?.usedBytes));
  put("imagefsUsed", mib(node.runtime?.imageFs?.usedBytes));
  put("kubeletMemory", mib(system("kubelet")?.memory?.workingSetBytes));
  put("runtimeMemory", mib(system("runtime")?.memory?.workingSetBytes));
  put("kubeletCpu", typeof nano === "number" ? Math.round(nano / 1e5) / 10 : undefined);
  return out;
}
