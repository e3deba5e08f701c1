import type { ResolvedProbeSettings } from "./settings.js";

/** A Kubernetes object as the API takes it: plain data, checked against the API's own types in tests. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
}

/** The label every probe object carries, and the one naming its probe. */
export const PART_OF = { "app.kubernetes.io/part-of": "minos-probes" };
/** The label a probe's pods carry: the collector lists them by it. */
export const PROBE_LABEL = "minos.dev/probe";

/** Every node's control-plane taint, tolerated by the per-node probes. */
export const CONTROL_PLANE_TOLERATION = {
  key: "node-role.kubernetes.io/control-plane",
  operator: "Exists",
  effect: "NoSchedule",
};

/** A pod's own node, from the downward API, for what it prints. */
export const NODE_NAME_ENV = {
  name: "NODE_NAME",
  valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } },
};

/** Required scheduling rules for pods whose label `labels` names: with or apart from them. */
export function byHost(labels: Record<string, string>) {
  return {
    requiredDuringSchedulingIgnoredDuringExecution: [
      { labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" },
    ],
  };
}

/** Node affinity keeping pods off nodes with any of `labels`; none when empty. */
export function skipNodes(labels: Record<string, string>) {
  const terms = Object.entries(labels).map(([key, value]) => ({
    key,
    operator: "NotIn",
    values: [value],
  }));
  if (terms.length === 0) return undefined;
  return {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: terms }],
    },
  };
}

/** What a probe's Job is made of. */
export interface JobParts {
  /** The Job's name, and its probe's. */
  name: string;
  probe: string;
  /** Pods at once, each to complete once. */
  parallelism: number;
  /** Labels its pods carry besides the probe's. */
  podLabels?: Record<string, string>;
  /** The pod's spec, without `restartPolicy`. */
  pod: Record<string, unknown>;
}

/**
 * A probe's Job: made suspended, so the collector runs the probes one at a
 * time and none disturbs another's timing; it fails rather than retries
 * (`backoffLimit: 0`), has a deadline once resumed, and is deleted an hour
 * after it finished. Pulumi does not wait for it (`pulumi.com/skipAwait`):
 * a probe that fails is a result, never a failed stack.
 */
export function probeJob(s: ResolvedProbeSettings, parts: JobParts): Manifest {
  const labels = { ...PART_OF, [PROBE_LABEL]: parts.probe };
  const affinity = parts.pod.affinity as Record<string, unknown> | undefined;
  const nodeAffinity = skipNodes(s.skipNodesLabelled);
  const merged = nodeAffinity ? { ...affinity, nodeAffinity } : affinity;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: parts.name,
      namespace: s.namespace,
      labels,
      annotations: { "pulumi.com/skipAwait": "true" },
    },
    spec: {
      suspend: true,
      parallelism: parts.parallelism,
      completions: parts.parallelism,
      backoffLimit: 0,
      activeDeadlineSeconds: s.timeoutSeconds,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: { ...labels, ...parts.podLabels } },
        spec: {
          ...parts.pod,
          ...(merged && { affinity: merged }),
          restartPolicy: "Never",
          terminationGracePeriodSeconds: 1,
        },
      },
    },
  };
}
