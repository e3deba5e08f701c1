const SUFFIX: Record<string, number> = {
  "": 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * A Kubernetes resource quantity (`8029464Ki`, `3.5Gi`, `128974848`,
 * `1e3`, `500m`) as a number; undefined for anything else
 * (apimachinery's `resource.Quantity` serialization: binary and decimal SI
 * suffixes, or a decimal exponent).
 */
export function quantity(text: string): number | undefined {
  const m =
    /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(
      text.trim(),
    );
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2] !== undefined) return base * 10 ** Number(m[2].slice(1));
  return base * (SUFFIX[m[3] ?? ""] ?? 1);
}

/** A Node as the API returns it, what the reserved-memory reading needs. */
export interface NodeJson {
  metadata?: { name?: string; labels?: Record<string, string> };
  status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

/**
 * MiB of memory a node keeps from pods: its capacity minus its allocatable
 * (the kubelet's system and kube reservations and its eviction threshold).
 */
export function reservedMemoryMib(node: NodeJson): number | undefined {
  const capacity = quantity(node.status?.capacity?.memory ?? "");
  const allocatable = quantity(node.status?.allocatable?.memory ?? "");
  if (capacity === undefined || allocatable === undefined) return undefined;
  return Math.round(((capacity - allocatable) / 2 ** 20) * 10) / 10;
}
