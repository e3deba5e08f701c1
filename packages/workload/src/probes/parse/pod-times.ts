/** A pod as the API returns it, the fields the pod-start probe reads. */
export interface PodJson {
  metadata?: {
    name?: string;
    uid?: string;
    creationTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    conditions?: {
      type?: string;
      status?: string;
      lastTransitionTime?: string;
      reason?: string;
      message?: string;
    }[];
    containerStatuses?: {
      name?: string;
      state?: {
        running?: { startedAt?: string };
        terminated?: { startedAt?: string; exitCode?: number; reason?: string };
        waiting?: { reason?: string; message?: string };
      };
    }[];
  };
}

/** One pod's start, in seconds from its creation. */
export interface PodStart {
  pod: string;
  /** To its `PodScheduled` condition turning True. */
  scheduled?: number;
  /** To its first container's `startedAt`. */
  running?: number;
  /** To its `Ready` condition turning True. */
  ready?: number;
}

const at = (time: string | undefined): number | undefined => {
  if (!time) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : ms;
};

/** The time a condition of `pod` turned True, if it is True. */
function conditionTrue(pod: PodJson, type: string): number | undefined {
  const c = (pod.status?.conditions ?? []).find((x) => x.type === type);
  return c && c.status === "True" ? at(c.lastTransitionTime) : undefined;
}

/**
 * Each pod's start from the API's own timestamps (RFC 3339, to the second,
 * as the API server writes them): `metadata.creationTimestamp` to the
 * `PodScheduled` condition, to the container's `startedAt` (running, or
 * terminated since), to the `Ready` condition. A step the pod has not
 * reached is absent.
 */
export function podStart(pod: PodJson): PodStart {
  const created = at(pod.metadata?.creationTimestamp);
  const since = (t: number | undefined) =>
    created === undefined || t === undefined ? undefined : Math.max(0, (t - created) / 1000);
  const state = (pod.status?.containerStatuses ?? [])[0]?.state;
  const started = at(state?.running?.startedAt ?? state?.terminated?.startedAt);
  const scheduled = since(conditionTrue(pod, "PodScheduled"));
  const running = since(started);
  const ready = since(conditionTrue(pod, "Ready"));
  return {
    pod: pod.metadata?.name ?? "",
    ...(scheduled !== undefined && { scheduled }),
    ...(running !== undefined && { running }),
    ...(ready !== undefined && { ready }),
  };
}

/**
 * Why a pod did not start, from its status: unschedulable (the scheduler's
 * message), a container waiting (`ErrImagePull`, `CreateContainerError`…),
 * or only its phase. Undefined for a pod that runs or ran.
 */
export function podTrouble(pod: PodJson): string | undefined {
  const name = pod.metadata?.name ?? "a pod";
  const phase = pod.status?.phase ?? "Pending";
  if (phase === "Running" || phase === "Succeeded") return undefined;
  const scheduled = (pod.status?.conditions ?? []).find((c) => c.type === "PodScheduled");
  if (scheduled && scheduled.status === "False")
    return `${name} never scheduled: ${scheduled.reason ?? "Unschedulable"}${scheduled.message ? ` (${scheduled.message})` : ""}`;
  for (const c of pod.status?.containerStatuses ?? []) {
    const waiting = c.state?.waiting;
    if (waiting?.reason)
      return `${name} never started: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ""}`;
    const ended = c.state?.terminated;
    if (ended && ended.exitCode !== 0)
      return `${name} failed: exit ${ended.exitCode}${ended.reason ? ` (${ended.reason})` : ""}`;
  }
  return `${name} never started: ${phase}`;
}
