import type { Manifest } from "../probes/manifest.js";
import type { PodJson } from "../probes/parse/pod-times.js";
import type { KubeApi } from "./kube-api.js";

/** A Job as the API returns it, the fields the collector reads. */
export interface JobJson {
  metadata?: { name?: string; deletionTimestamp?: string };
  spec?: { suspend?: boolean };
  status?: {
    active?: number;
    succeeded?: number;
    failed?: number;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

/** How long and how often to wait. */
export interface Clock {
  /** Seconds between looks. */
  intervalSeconds: number;
  /** Sleeps; a test's may be faster. */
  sleep?: (ms: number) => Promise<void>;
}

export const pause = (clock: Clock) =>
  (clock.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(
    clock.intervalSeconds * 1000,
  );

const jobsPath = (ns: string) => `/apis/batch/v1/namespaces/${ns}/jobs`;

/** How a Job ended: `Complete`, `Failed` with its reason, or still running. */
export function jobEnd(job: JobJson): { done: boolean; failed?: string } {
  for (const c of job.status?.conditions ?? [])
    if (c.status === "True" && (c.type === "Complete" || c.type === "Failed"))
      return c.type === "Complete"
        ? { done: true }
        : { done: true, failed: `${c.reason ?? "Failed"}${c.message ? `: ${c.message}` : ""}` };
  return { done: false };
}

/** Whether a Job is as the stack made it: suspended, never run. */
export function untouched(job: JobJson): boolean {
  const s = job.status ?? {};
  return (
    job.spec?.suspend === true &&
    !job.metadata?.deletionTimestamp &&
    (s.conditions ?? []).length === 0 &&
    !s.active &&
    !s.succeeded &&
    !s.failed
  );
}

/**
 * Puts a probe's Job back as the stack made it, suspended and never run:
 * one that ran (or was deleted by its TTL) is deleted with its pods
 * (foreground, so no pod of the old run is left to be read) and made again
 * from its manifest.
 */
export async function resetJob(
  api: KubeApi,
  m: Manifest,
  clock: Clock,
  tries = 120,
): Promise<void> {
  const ns = m.metadata.namespace ?? "default";
  const path = `${jobsPath(ns)}/${m.metadata.name}`;
  for (let i = 0; i < tries; i++) {
    const got = await api.request("GET", path);
    if (got.status === 200) {
      const job = JSON.parse(got.body) as JobJson;
      if (untouched(job)) return;
      if (!job.metadata?.deletionTimestamp) {
        const del = await api.request("DELETE", `${path}?propagationPolicy=Foreground`);
        if (del.status !== 200 && del.status !== 202 && del.status !== 404)
          throw new Error(`DELETE ${path}: ${del.error ?? `HTTP ${del.status}`}`);
      }
    } else if (got.status === 404) {
      const made = await api.request("POST", jobsPath(ns), m);
      if (made.status === 201 || made.status === 200) return;
      if (made.status !== 409)
        throw new Error(
          `POST ${jobsPath(ns)}: ${made.error ?? `HTTP ${made.status}`} ${made.body.slice(0, 200)}`,
        );
    } else throw new Error(`GET ${path}: ${got.error ?? `HTTP ${got.status}`}`);
    await pause(clock);
  }
  throw new Error(`${path} was not deleted in time`);
}

/** Lets a suspended Job run (Kubernetes starts its deadline then). */
export async function resumeJob(api: KubeApi, ns: string, name: string): Promise<void> {
  const path = `${jobsPath(ns)}/${name}`;
  const answer = await api.request(
    "PATCH",
    path,
    { spec: { suspend: false } },
    "application/merge-patch+json",
  );
  if (answer.status !== 200)
    throw new Error(`PATCH ${path}: ${answer.error ?? `HTTP ${answer.status}`}`);
}

/** The Job now. */
export function getJob(api: KubeApi, ns: string, name: string): Promise<JobJson> {
  return api.getJson<JobJson>(`${jobsPath(ns)}/${name}`);
}

/** A Job's pods, by the label the Job controller puts on them. */
export async function jobPods(api: KubeApi, ns: string, job: string): Promise<PodJson[]> {
  const selector = encodeURIComponent(`batch.kubernetes.io/job-name=${job}`);
  const list = await api.getJson<{ items?: PodJson[] }>(
    `/api/v1/namespaces/${ns}/pods?labelSelector=${selector}`,
  );
  return (list.items ?? []).sort((a, b) =>
    (a.metadata?.name ?? "") < (b.metadata?.name ?? "") ? -1 : 1,
  );
}

/** A pod's log, or why there is none. */
export async function podLog(
  api: KubeApi,
  ns: string,
  pod: string,
  container: string,
): Promise<{ ok: true; log: string } | { ok: false; reason: string }> {
  const path = `/api/v1/namespaces/${ns}/pods/${pod}/log?container=${encodeURIComponent(container)}`;
  const answer = await api.request("GET", path);
  return answer.status === 200
    ? { ok: true, log: answer.body }
    : { ok: false, reason: `no log of ${pod}: ${answer.error ?? `HTTP ${answer.status}`}` };
}
