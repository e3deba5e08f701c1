import type { Manifest } from "../probes/manifest.js";
import type { Clock } from "./jobs.js";
import { pause } from "./jobs.js";
import type { KubeApi } from "./kube-api.js";

/** The core kinds the collector makes at run time, by their resource's plural. */
const PLURALS = {
  PersistentVolumeClaim: "persistentvolumeclaims",
  PersistentVolume: "persistentvolumes",
  Pod: "pods",
  Service: "services",
} as const;

/** A core object by kind, name and (unless cluster-wide) namespace. */
export interface ObjectRef {
  kind: keyof typeof PLURALS;
  name: string;
  namespace?: string;
}

/** A core object as the API returns it, the fields every kind has that the collector reads. */
export interface ObjectJson {
  metadata?: {
    name?: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
  };
}

/** An object as the probe's reasons name it: `Service minos-probes/lb-volume`. */
export const objectName = (ref: ObjectRef) =>
  `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;

/** The object a manifest makes. */
export const refOf = (m: Manifest): ObjectRef => ({
  kind: m.kind as ObjectRef["kind"],
  name: m.metadata.name,
  ...(m.metadata.namespace !== undefined && { namespace: m.metadata.namespace }),
});

const collection = (ref: Pick<ObjectRef, "kind" | "namespace">) =>
  `/api/v1/${ref.namespace ? `namespaces/${ref.namespace}/` : ""}${PLURALS[ref.kind]}`;
const objectPath = (ref: ObjectRef) => `${collection(ref)}/${ref.name}`;

/** Makes an object from its manifest and returns it as the API made it; throws on anything but 201. */
export async function createObject<T extends ObjectJson>(api: KubeApi, m: Manifest): Promise<T> {
  const ref = refOf(m);
  const made = await api.request("POST", collection(ref), m);
  if (made.status !== 201 && made.status !== 200)
    throw new Error(
      `POST ${collection(ref)}: ${made.error ?? `HTTP ${made.status}`}${made.body ? ` ${made.body.slice(0, 200)}` : ""}`,
    );
  return JSON.parse(made.body) as T;
}

/** The object now, or `undefined` when it is gone; throws on any other answer. */
export async function getObject<T extends ObjectJson>(
  api: KubeApi,
  ref: ObjectRef,
): Promise<T | undefined> {
  const got = await api.request("GET", objectPath(ref));
  if (got.status === 404) return undefined;
  if (got.status !== 200)
    throw new Error(`GET ${objectPath(ref)}: ${got.error ?? `HTTP ${got.status}`}`);
  return JSON.parse(got.body) as T;
}

/** Asks the API to delete an object (its controllers then do the rest); one already gone is fine. */
export async function deleteObject(api: KubeApi, ref: ObjectRef): Promise<void> {
  const path = `${objectPath(ref)}?propagationPolicy=Background`;
  const del = await api.request("DELETE", path);
  if (del.status !== 200 && del.status !== 202 && del.status !== 404)
    throw new Error(`DELETE ${path}: ${del.error ?? `HTTP ${del.status}`}`);
}

/**
 * Waits until every object of `refs` is gone (a GET answers 404), at most
 * `seconds`; returns those still there. An object with a finalizer stays
 * until its controller has done its part: a `LoadBalancer` Service until
 * the cloud's load balancer is deleted, a volume until its disk is.
 */
export async function waitGone(
  api: KubeApi,
  refs: ObjectRef[],
  seconds: number,
  clock: Clock,
): Promise<ObjectRef[]> {
  const started = Date.now();
  let left = refs;
  for (;;) {
    const still: ObjectRef[] = [];
    for (const ref of left) if (await getObject(api, ref)) still.push(ref);
    left = still;
    if (left.length === 0) return [];
    if ((Date.now() - started) / 1000 + clock.intervalSeconds > seconds) return left;
    await pause(clock);
  }
}

/** An event as the API lists it, the fields a reason is made of. */
interface EventJson {
  type?: string;
  reason?: string;
  message?: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
}

/**
 * What the cluster last said of an object, from its events (by uid, so an
 * earlier object of the same name says nothing): the newest Warning, else
 * the newest event, as `Reason (message)`; undefined when there is none or
 * the events cannot be read.
 */
export async function lastWord(
  api: KubeApi,
  namespace: string,
  uid: string | undefined,
): Promise<string | undefined> {
  if (!uid) return undefined;
  const selector = encodeURIComponent(`involvedObject.uid=${uid}`);
  let items: EventJson[];
  try {
    items =
      (
        await api.getJson<{ items?: EventJson[] }>(
          `/api/v1/namespaces/${namespace}/events?fieldSelector=${selector}`,
        )
      ).items ?? [];
  } catch {
    return undefined;
  }
  const when = (e: EventJson) =>
    Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? "") || 0;
  const newest = (list: EventJson[]) =>
    list.reduce<EventJson | undefined>(
      (a, e) => (a === undefined || when(e) >= when(a) ? e : a),
      undefined,
    );
  const e = newest(items.filter((x) => x.type === "Warning")) ?? newest(items);
  if (!e) return undefined;
  return `${e.reason ?? "an event"}${e.message ? ` (${e.message.trim()})` : ""}`;
}
