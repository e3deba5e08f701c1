/**
 * The API-server stand-in's claims, single pods, Services and volumes: what
 * the load balancer and volume probe makes at run time, as the API server
 * and the cluster's controllers would treat them.
 */

type Kind = "PersistentVolumeClaim" | "Pod" | "Service" | "PersistentVolume";

/** An event the cluster records for an object when it is made. */
export interface FakeEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

/** What the cluster does with one round's objects. */
export interface LbVolumeRound {
  /** Reads of the claim before its volume is provisioned and it is Bound; `never` leaves it Pending. */
  claimBindsAfter: number | "never";
  /** Reads of the pod before it is Ready (and never before its claim is Bound). */
  podReadyAfter: number;
  /** Seconds from the claim's creation to the container's `startedAt`, as the API reports them. */
  startedAt: number;
  /** Reads of the Service before its load balancer's address shows; `never`: none ever does. */
  ingressAfter: number | "never";
  /** The address that shows. Default `{ ip: "127.0.0.1" }`. */
  ingress?: { ip?: string; hostname?: string };
  /** Kinds whose deletion never ends (a finalizer its controller never lifts). */
  stuck?: Kind[];
  /** Events recorded for each object as it is made. */
  events?: Partial<Record<Kind, FakeEvent[]>>;
}

interface Held {
  kind: Kind;
  json: Record<string, unknown> & {
    metadata: {
      name: string;
      namespace?: string;
      uid: string;
      creationTimestamp?: string;
      deletionTimestamp?: string;
    };
  };
  round: LbVolumeRound;
  base: number;
  reads: number;
  /** Reads since it was deleted. */
  goneReads?: number;
}

const PLURAL: Record<string, Kind> = {
  persistentvolumeclaims: "PersistentVolumeClaim",
  pods: "Pod",
  services: "Service",
  persistentvolumes: "PersistentVolume",
};

const T0 = Date.parse("2026-11-26T11:00:00Z");
const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

/**
 * Objects made by POST, read by GET, deleted by DELETE, gone one read after
 * (or never, when `stuck`); a claim's volume appears when it binds and goes
 * a read after the claim (reclaim `Delete`). Rounds are counted by the pods
 * made; each round's API times start 1000 s after the last.
 */
export function fakeObjects(scenario: (round: number) => LbVolumeRound) {
  const held = new Map<string, Held>();
  const events: Record<string, unknown>[] = [];
  const made: string[] = [];
  let pods = 0;
  let uid = 0;
  const key = (kind: Kind, name: string) => `${kind}/${name}`;

  const record = (h: Held) => {
    for (const e of h.round.events?.[h.kind] ?? [])
      events.push({
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `${h.json.metadata.name}.${events.length}`, namespace: "minos-probes" },
        involvedObject: {
          kind: h.kind,
          namespace: h.json.metadata.namespace ?? "default",
          name: h.json.metadata.name,
          uid: h.json.metadata.uid,
        },
        reason: e.reason,
        message: e.message,
        type: e.type,
        firstTimestamp: at(h.base + events.length * 1000),
        lastTimestamp: at(h.base + events.length * 1000),
      });
  };

  /** The object as a GET now sees it: each read moves the cluster on. */
  const read = (h: Held): Record<string, unknown> => {
    h.reads++;
    const r = h.round;
    if (h.kind === "PersistentVolumeClaim") {
      const bound = r.claimBindsAfter !== "never" && h.reads > r.claimBindsAfter;
      if (!bound) return { ...h.json, status: { phase: "Pending" } };
      const volume = `pvc-${h.json.metadata.uid}`;
      if (!held.has(key("PersistentVolume", volume)) && !h.json.metadata.deletionTimestamp)
        held.set(key("PersistentVolume", volume), {
          kind: "PersistentVolume",
          json: {
            apiVersion: "v1",
            kind: "PersistentVolume",
            metadata: { name: volume, uid: `u${uid++}` },
            spec: { persistentVolumeReclaimPolicy: "Delete" },
          },
          round: r,
          base: h.base,
          reads: 0,
        });
      const spec = h.json.spec as Record<string, unknown>;
      return { ...h.json, spec: { ...spec, volumeName: volume }, status: { phase: "Bound" } };
    }
    if (h.kind === "Pod") {
      const claim = held.get(key("PersistentVolumeClaim", h.json.metadata.name));
      const claimBound =
        !claim ||
        (claim.round.claimBindsAfter !== "never" && claim.reads > claim.round.claimBindsAfter);
      if (!claimBound)
        return {
          ...h.json,
          status: {
            phase: "Pending",
            conditions: [
              {
                type: "PodScheduled",
                status: "False",
                reason: "Unschedulable",
                message:
                  "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
              },
            ],
          },
        };
      if (h.reads <= r.podReadyAfter)
        return {
          ...h.json,
          status: {
            phase: "Pending",
            conditions: [{ type: "PodScheduled", status: "True" }],
            containerStatuses: [
              { name: "nginx", ready: false, state: { waiting: { reason: "ContainerCreating" } } },
            ],
          },
        };
      return {
        ...h.json,
        status: {
          phase: "Running",
          conditions: [
            { type: "PodScheduled", status: "True", lastTransitionTime: at(h.base + 1000) },
            {
              type: "Ready",
              status: "True",
              lastTransitionTime: at(h.base + (r.startedAt + 1) * 1000),
            },
          ],
          containerStatuses: [
            {
              name: "nginx",
              ready: true,
              state: { running: { startedAt: at(h.base + r.startedAt * 1000) } },
            },
          ],
        },
      };
    }
    if (h.kind === "Service") {
      const shows = r.ingressAfter !== "never" && h.reads > r.ingressAfter;
      return {
        ...h.json,
        status: { loadBalancer: shows ? { ingress: [r.ingress ?? { ip: "127.0.0.1" }] } : {} },
      };
    }
    return h.json;
  };

  /** Answers a request for these kinds; false for any other path. */
  const handle = (
    method: string,
    url: URL,
    body: string,
    json: (status: number, value: unknown) => void,
  ): boolean => {
    const answer = (status: number, value: unknown) => {
      json(status, value);
      return true;
    };
    const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?([a-z]+)(?:\/([^/]+))?$/.exec(url.pathname);
    const kind = m ? PLURAL[m[2] ?? ""] : undefined;
    if (!m || !kind) return false;
    const [, namespace, , name] = m;
    if (!name && method === "POST") {
      const obj = JSON.parse(body) as Held["json"];
      if (obj.kind !== kind) return answer(400, { reason: "BadRequest" });
      if (held.has(key(kind, obj.metadata.name))) return answer(409, { reason: "AlreadyExists" });
      if (kind === "Pod") pods++;
      // A claim comes before its round's pod.
      const round = kind === "Pod" ? pods : pods + 1;
      const base = T0 + round * 1_000_000;
      const h: Held = {
        kind,
        json: {
          ...obj,
          metadata: {
            ...obj.metadata,
            ...(namespace && { namespace }),
            uid: `u${uid++}`,
            creationTimestamp: at(base),
          },
        },
        round: scenario(round),
        base,
        reads: 0,
      };
      held.set(key(kind, obj.metadata.name), h);
      const pod = held.get(key("Pod", obj.metadata.name));
      // A Service is made once its pod is Ready: the load balancer's time is its own.
      const podReady = pod && pod.reads > pod.round.podReadyAfter ? " (pod Ready)" : "";
      made.push(`${kind} ${obj.metadata.name}${kind === "Service" ? podReady : ""}`);
      record(h);
      return answer(201, h.json);
    }
    const h = name ? held.get(key(kind, name)) : undefined;
    if (!name || !h) return answer(404, { reason: "NotFound" });
    if (method === "GET") {
      if (h.json.metadata.deletionTimestamp) {
        h.goneReads = (h.goneReads ?? 0) + 1;
        if (!(h.round.stuck ?? []).includes(kind) && h.goneReads > 1) {
          held.delete(key(kind, name));
          // Reclaim Delete: the claim's volume goes once the claim has.
          if (kind === "PersistentVolumeClaim") {
            const pv = held.get(key("PersistentVolume", `pvc-${h.json.metadata.uid}`));
            if (pv) pv.json.metadata.deletionTimestamp = at(h.base);
          }
          return answer(404, { reason: "NotFound" });
        }
      }
      return answer(200, read(h));
    }
    if (method === "DELETE") {
      h.json.metadata.deletionTimestamp = at(h.base);
      return answer(200, read(h));
    }
    return answer(405, { reason: "MethodNotAllowed" });
  };

  return { handle, held, events, made };
}
