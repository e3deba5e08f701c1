import type { IncomingMessage, ServerResponse } from "node:http";
import type { Manifest } from "../../src/probes/manifest.js";
import type { fakeObjects } from "./fake-objects.js";

/** A pod the stand-in serves, with its containers' logs. */
export interface FakePod {
  pod: Record<string, unknown> & {
    metadata: { name: string; uid: string; creationTimestamp?: string };
  };
  logs?: Record<string, string>;
}

/** What happens in the cluster when a Job is resumed. */
export interface JobRun {
  pods: FakePod[];
  /** Events the kubelet records for them. */
  events?: Record<string, unknown>[];
  /** How the Job ends: `Complete`, `Failed` with a reason, or never (a pod that runs on). */
  end?: { type: "Complete" } | { type: "Failed"; reason: string; message: string };
}

interface FakeJob {
  manifest: Manifest;
  suspended: boolean;
  run?: JobRun;
}

/**
 * An API server's answers for what the collector asks, kept in memory:
 * Jobs (made, read, resumed with a merge patch, deleted), their pods by the
 * Job controller's `batch.kubernetes.io/job-name` label, the pods' logs,
 * events by field selector, Nodes and each node's Summary through the
 * API server's proxy; with `objects`, the claims, pods, Services and
 * volumes the load balancer and volume probe makes. `scenario` says what
 * each Job does when resumed.
 */
export function fakeKubeApi(
  jobs: Manifest[],
  scenario: (job: string, run: number) => JobRun,
  nodes: Record<string, unknown>[],
  summaries: Record<string, string | number>,
  objects?: ReturnType<typeof fakeObjects>,
) {
  const state = new Map<string, FakeJob>(
    jobs.map((m) => [m.metadata.name, { manifest: m, suspended: true }]),
  );
  const runs = new Map<string, number>();
  const events: Record<string, unknown>[] = [];
  const calls: string[] = [];
  let nextUid = 0;

  const jobJson = (name: string, j: FakeJob) => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { ...j.manifest.metadata, name, uid: `job-${name}` },
    spec: { ...j.manifest.spec, suspend: j.suspended },
    status: j.run
      ? {
          ...(j.run.end
            ? {
                conditions: [
                  {
                    type: j.run.end.type,
                    status: "True",
                    ...(j.run.end.type === "Failed" && {
                      reason: j.run.end.reason,
                      message: j.run.end.message,
                    }),
                  },
                ],
              }
            : { active: j.run.pods.length }),
          ...(j.run.end?.type === "Complete" && { succeeded: j.run.pods.length }),
        }
      : {},
  });
  const podsOf = (name: string) =>
    (state.get(name)?.run?.pods ?? []).map((p) => ({
      ...p.pod,
      metadata: {
        ...p.pod.metadata,
        labels: { "batch.kubernetes.io/job-name": name, "job-name": name },
      },
    }));

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "https://api");
      calls.push(`${req.method} ${url.pathname}`);
      const json = (status: number, value: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      const job = /^\/apis\/batch\/v1\/namespaces\/[^/]+\/jobs(?:\/([^/]+))?$/.exec(url.pathname);
      if (job) {
        const name = job[1];
        if (!name && req.method === "POST") {
          const m = JSON.parse(body) as Manifest;
          if (state.has(m.metadata.name)) return json(409, { reason: "AlreadyExists" });
          state.set(m.metadata.name, { manifest: m, suspended: m.spec?.suspend === true });
          return json(201, m);
        }
        const j = name ? state.get(name) : undefined;
        if (!name || !j) return json(404, { reason: "NotFound" });
        if (req.method === "GET") return json(200, jobJson(name, j));
        if (req.method === "DELETE") {
          state.delete(name);
          return json(200, { status: "Success" });
        }
        if (req.method === "PATCH") {
          if (req.headers["content-type"] !== "application/merge-patch+json")
            return json(415, { reason: "UnsupportedMediaType" });
          const patch = JSON.parse(body) as { spec?: { suspend?: boolean } };
          if (patch.spec?.suspend === false && j.suspended) {
            j.suspended = false;
            const run = (runs.get(name) ?? 0) + 1;
            runs.set(name, run);
            j.run = scenario(name, run);
            for (const p of j.run.pods) p.pod.metadata.uid ||= `pod-${nextUid++}`;
            events.push(...(j.run.events ?? []));
          }
          return json(200, jobJson(name, j));
        }
      }
      const pods = /^\/api\/v1\/namespaces\/[^/]+\/pods$/.exec(url.pathname);
      if (pods && req.method === "GET") {
        const selector = url.searchParams.get("labelSelector") ?? "";
        const [, name = ""] = /^batch\.kubernetes\.io\/job-name=(.+)$/.exec(selector) ?? [];
        return json(200, { kind: "PodList", apiVersion: "v1", items: podsOf(name) });
      }
      const log = /^\/api\/v1\/namespaces\/[^/]+\/pods\/([^/]+)\/log$/.exec(url.pathname);
      if (log) {
        const container = url.searchParams.get("container") ?? "";
        for (const j of state.values())
          for (const p of j.run?.pods ?? [])
            if (p.pod.metadata.name === log[1]) {
              const text = p.logs?.[container];
              if (text === undefined) return json(400, { message: "container not found" });
              return res.writeHead(200, { "content-type": "text/plain" }).end(text);
            }
        return json(404, { reason: "NotFound" });
      }
      if (/^\/api\/v1\/namespaces\/[^/]+\/events$/.test(url.pathname)) {
        // `reason=Pulled`, `involvedObject.uid=…`: every term of the selector, by its field's path.
        const terms = (url.searchParams.get("fieldSelector") ?? "")
          .split(",")
          .filter(Boolean)
          .map((t) => t.split("="));
        const field = (e: Record<string, unknown>, path: string) =>
          path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], e);
        const items = [...events, ...(objects?.events ?? [])].filter((e) =>
          terms.every(([f = "", v]) => field(e, f) === v),
        );
        return json(200, { kind: "EventList", apiVersion: "v1", items });
      }
      if (url.pathname === "/api/v1/nodes")
        return json(200, { kind: "NodeList", apiVersion: "v1", items: nodes });
      const summary = /^\/api\/v1\/nodes\/([^/]+)\/proxy\/stats\/summary$/.exec(url.pathname);
      if (summary) {
        const s = summaries[summary[1] ?? ""];
        if (typeof s === "number") return json(s, { reason: "ServiceUnavailable" });
        if (s === undefined) return json(404, { reason: "NotFound" });
        return res.writeHead(200, { "content-type": "application/json" }).end(s);
      }
      if (objects?.handle(req.method ?? "GET", url, body, json)) return;
      json(404, { reason: "NotFound", path: url.pathname });
    });
  };
  return { handle, state, calls, runs, events };
}
