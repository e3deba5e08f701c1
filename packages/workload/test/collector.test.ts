/**
 * The collector against a mutual-TLS API-server stand-in that serves Jobs,
 * their pods, logs and events, Nodes and the kubelets' Summary as the API
 * server does: every probe run in order and read, a probe that times out,
 * pods that never start, a node whose kubelet does not answer, and the
 * Jobs left as the stack made them.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { renderKubeconfig } from "@minos/core";
import { describe, expect, it, onTestFinished } from "vitest";
import { apiServerFixture } from "../../../test/support/mtls-server.js";
import type { CollectorInputs, CollectorOutputs } from "../src/collector/collector-provider.js";
import { collectorProvider } from "../src/collector/collector-provider.js";
import { kubeApi } from "../src/collector/kube-api.js";
import { kubeconfigTarget } from "../src/collector/kubeconfig-target.js";
import type { CollectorPlan } from "../src/collector/plan.js";
import { runProbes } from "../src/collector/run-probes.js";
import { PROBES } from "../src/probes/catalog.js";
import { lbVolumeObjects } from "../src/probes/lb-volume.js";
import { probeObjects } from "../src/probes/probe-objects.js";
import { resolveProbeSettings } from "../src/probes/settings.js";
import { providers } from "../src/providers.js";
import { apiFieldProblems, apiFixture } from "./support/api-fields.js";
import type { FakePod, JobRun } from "./support/fake-kube-api.js";
import { fakeKubeApi } from "./support/fake-kube-api.js";
import { fakeObjects } from "./support/fake-objects.js";
import { PROBE_JOBS } from "./support/probe-jobs.js";

const stand = apiServerFixture();
/** Every probe of the catalog but the readiness gates', which the cluster itself times. */
const COLLECTED = Object.keys(PROBES).filter((p) => p !== "api-ready" && p !== "nodes-ready");
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/probe-output/${name}`, import.meta.url), "utf8");

const settings = resolveProbeSettings({ nodes: 2, pods: 4, summaryReads: 2 });
const jobs = probeObjects(settings).filter((m) => m.kind === "Job");
const plan: CollectorPlan = {
  namespace: settings.namespace,
  jobs,
  pods: settings.pods,
  nodes: settings.nodes,
  summaryReads: settings.summaryReads,
  summaryIntervalSeconds: 0,
  timeoutSeconds: 0.4,
  graceSeconds: 0,
  skipNodesLabelled: {},
  lbVolume: {
    volumes: true,
    loadBalancers: true,
    rounds: 2,
    objects: lbVolumeObjects(settings, { volumes: true, loadBalancers: true }),
  },
};
const clock = { intervalSeconds: 0.02 };
const NODES = ["lab-control-plane-0", "lab-worker-general-0"] as const;

/** A Node as `GET /api/v1/nodes` lists it, with the memory the kubelet reports. */
const node = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } },
  status: {
    capacity: { cpu: "2", memory: "4025876Ki", pods: "110" },
    allocatable: { cpu: "2", memory: "3923476Ki", pods: "110" },
  },
});

const T0 = Date.parse("2026-11-26T10:05:00Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString().replace(/\.000Z$/, "Z");

/** A pod that ran: created, scheduled, started and Ready at these seconds. */
function ranPod(
  name: string,
  [scheduled, started, ready]: number[],
  opts: { phase?: string; node?: string; logs?: Record<string, string> } = {},
): FakePod {
  return {
    pod: {
      metadata: { name, uid: "", creationTimestamp: at(0) },
      spec: { nodeName: opts.node ?? NODES[1] },
      status: {
        phase: opts.phase ?? "Running",
        conditions: [
          { type: "PodScheduled", status: "True", lastTransitionTime: at(scheduled ?? 0) },
          { type: "Ready", status: "True", lastTransitionTime: at(ready ?? 0) },
        ],
        containerStatuses: [
          { name: "c", ready: true, state: { running: { startedAt: at(started ?? 0) } } },
        ],
      },
    },
    ...(opts.logs && { logs: opts.logs }),
  };
}

const posture = (node: string, selinux: string) =>
  `${JSON.stringify({ node, rootWritable: false, usrWritable: false, selinux, apparmor: "disabled", lockdown: "none", cgroupVersion: 2, cmdline: "BOOT_IMAGE=/vmlinuz root=LABEL=ROOT", sshd: true })}\n`;

const pulled = (uid: string, pod: string, seconds: string) => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name: `${pod}.1`, namespace: "minos-probes" },
  involvedObject: {
    kind: "Pod",
    namespace: "minos-probes",
    name: pod,
    uid,
    fieldPath: "spec.containers{pull}",
  },
  reason: "Pulled",
  message: `Successfully pulled image "registry.k8s.io/e2e-test-images/nginx:1.15-4" in ${seconds} (${seconds} including waiting). Image size: 7362469 bytes.`,
  source: { component: "kubelet", host: NODES[0] },
  type: "Normal",
});

/** Every probe doing what it should on a healthy cluster. */
function healthy(job: string, run: number): JobRun {
  const complete = { type: "Complete" as const };
  if (job === "pod-start")
    return { pods: [0, 1, 2, 3].map((i) => ranPod(`pod-start-${run}${i}`, [1, 2 + i, 3 + i])) };
  if (job === "image-pull") {
    const pods = NODES.map((n, i) => ({
      ...ranPod(`image-pull-${run}${i}`, [1, 5, 5], { phase: "Succeeded", node: n }),
    }));
    pods.forEach((p, i) => {
      p.pod.metadata.uid = `pull-${run}-${i}`;
    });
    return {
      pods,
      end: complete,
      events: [
        pulled(`pull-${run}-0`, "image-pull-0", "3.482s"),
        pulled(`pull-${run}-1`, "image-pull-1", "845ms"),
        // A pod of an earlier run: not this run's pull.
        pulled("gone", "image-pull-old", "9s"),
      ],
    };
  }
  if (job === "dns")
    return {
      pods: [ranPod("dns-1", [1, 2, 2], { logs: { dig: fixture("dig-probe.log") } })],
      end: complete,
    };
  if (job.startsWith("iperf3-server")) return { pods: [ranPod(`${job}-1`, [1, 2, 2])] };
  if (job.startsWith("iperf3-client"))
    return {
      pods: [ranPod(`${job}-1`, [1, 2, 2], { logs: { iperf3: fixture("iperf3-client.json") } })],
      end: complete,
    };
  if (job === "host-posture")
    return {
      pods: NODES.map((n, i) =>
        ranPod(`host-posture-${i}`, [1, 2, 2], {
          node: n,
          logs: { read: posture(n, i === 0 ? "enforcing" : "permissive") },
        }),
      ),
      end: complete,
    };
  throw new Error(`no scenario for ${job}`);
}

const summary = fixture("kubelet-summary.json");
const summaries = Object.fromEntries(NODES.map((n) => [n, summary]));

/** The load balancer's backend: a local HTTP server answering 200, on the port the check is told. */
async function backend() {
  const server = createServer((_req, res) => res.writeHead(200).end("nginx"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  onTestFinished(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as AddressInfo).port, attemptSeconds: 1 };
}

/** Each round's claim bound, pod Ready 6 s after the claim, address at once. */
const lbWell = () => ({ claimBindsAfter: 1, podReadyAfter: 1, startedAt: 6, ingressAfter: 1 });

async function collect(
  scenario: (job: string, run: number) => JobRun,
  nodes = NODES.map((n) => node(n)),
  sums: Record<string, string | number> = summaries,
) {
  const fake = fakeKubeApi(jobs, scenario, nodes, sums, fakeObjects(lbWell));
  const api = await stand.serve(fake.handle);
  const http = await backend();
  const collected = await runProbes(kubeApi(stand.as(api.endpoint)), plan, clock, () => {}, http);
  const byProbe = Object.fromEntries(collected.results.map((r) => [r.probe, r]));
  return { fake, api, collected, byProbe };
}

describe("the collector", () => {
  it("runs every probe in order, as the admin, and reads every sample", async () => {
    const { fake, api, collected, byProbe } = await collect(healthy);
    expect(new Set(api.seen.map((s) => s.client))).toEqual(new Set(["minos-admin"]));
    const resumed = fake.calls.filter((c) => c.startsWith("PATCH")).map((c) => c.split("/").pop());
    expect(resumed).toEqual(PROBE_JOBS);
    expect(collected.results.every((r) => r.status === "ok")).toBe(true);
    expect(byProbe["pod-scheduled"]?.samples).toEqual([1, 1, 1, 1]);
    expect(byProbe["pod-running"]?.samples).toEqual([2, 3, 4, 5]);
    expect(byProbe["pod-start"]?.samples).toEqual([3, 4, 5, 6]);
    expect(byProbe["image-pull"]?.samples).toEqual([3.482, 0.845]);
    expect(byProbe["dns-service"]?.samples).toHaveLength(3);
    expect(byProbe["dns-external"]?.samples).toHaveLength(3);
    expect(byProbe["dns-failures"]?.samples).toEqual([2]);
    const iperf = JSON.parse(fixture("iperf3-client.json"));
    expect(byProbe["pod-network"]?.samples).toHaveLength(iperf.intervals.length);
    expect(byProbe["selinux-enforcing"]?.samples).toEqual([1]);
    expect(byProbe["sshd-present"]?.samples).toEqual([2]);
    expect(byProbe["root-writable"]?.samples).toEqual([0]);
    expect(byProbe["node-memory"]?.samples).toEqual([650, 650, 650, 650]);
    expect(byProbe["kubelet-cpu"]?.samples).toEqual([23.5, 23.5, 23.5, 23.5]);
    expect(byProbe["reserved-memory"]?.samples).toEqual([100, 100]);
    // Last, after the footprint: two rounds of claim, pod and Service, made and deleted.
    expect(byProbe["volume-ready"]?.samples).toEqual([6, 6]);
    expect(byProbe["load-balancer-answers"]?.samples).toHaveLength(2);
    const calls = fake.calls;
    expect(
      calls.indexOf("POST /api/v1/namespaces/minos-probes/persistentvolumeclaims"),
    ).toBeGreaterThan(
      calls.lastIndexOf("GET /api/v1/nodes/lab-worker-general-0/proxy/stats/summary"),
    );
    expect(collected.posture.map((p) => [p.node, p.selinux])).toEqual([
      [NODES[0], "enforcing"],
      [NODES[1], "permissive"],
    ]);
    // Every Job is back as the stack made it: suspended, never run.
    for (const [name, j] of fake.state)
      expect([name, j.suspended, j.run]).toEqual([name, true, undefined]);
  });

  it("serves only fields of the API's own types (Kubernetes 1.35.2)", async () => {
    const fake = fakeKubeApi(
      jobs,
      healthy,
      NODES.map((n) => node(n)),
      summaries,
    );
    const api = await stand.serve(fake.handle);
    const k = kubeApi(stand.as(api.endpoint));
    await k.request(
      "PATCH",
      `/apis/batch/v1/namespaces/minos-probes/jobs/image-pull`,
      { spec: { suspend: false } },
      "application/merge-patch+json",
    );
    const pods = await k.getJson<{ items: unknown[] }>(
      "/api/v1/namespaces/minos-probes/pods?labelSelector=batch.kubernetes.io%2Fjob-name%3Dimage-pull",
    );
    const events = await k.getJson<{ items: unknown[] }>("/api/v1/namespaces/minos-probes/events");
    const nodes = await k.getJson<{ items: unknown[] }>("/api/v1/nodes");
    const job = await k.getJson<unknown>("/apis/batch/v1/namespaces/minos-probes/jobs/image-pull");
    for (const [items, kind, apiVersion] of [
      [pods.items, "Pod", "v1"],
      [events.items, "Event", "v1"],
      [nodes.items, "Node", "v1"],
      [[job], "Job", "batch/v1"],
    ] as const) {
      expect(items.length).toBeGreaterThan(0);
      for (const item of items)
        expect(apiFieldProblems(item, apiFixture(apiVersion, kind)), kind).toEqual([]);
    }
  });

  it("records a probe that times out and pods that never start as failed results, with why", async () => {
    const { byProbe, collected, fake } = await collect(
      (job, run) => {
        if (job === "pod-start")
          return {
            pods: [0, 1, 2, 3].map((i) => ({
              pod: {
                metadata: { name: `pod-start-${i}`, uid: "", creationTimestamp: at(0) },
                status: {
                  phase: "Pending",
                  conditions: [
                    {
                      type: "PodScheduled",
                      status: "False",
                      reason: "Unschedulable",
                      message: "0/2 nodes are available: 2 Insufficient cpu.",
                    },
                  ],
                },
              },
            })),
            end: {
              type: "Failed",
              reason: "DeadlineExceeded",
              message: "Job was active longer than specified deadline",
            },
          };
        if (job === "dns")
          // Never ends: its image never comes.
          return {
            pods: [
              {
                pod: {
                  metadata: { name: "dns-1", uid: "", creationTimestamp: at(0) },
                  status: {
                    phase: "Pending",
                    conditions: [{ type: "PodScheduled", status: "True" }],
                    containerStatuses: [
                      {
                        name: "dig",
                        state: {
                          waiting: {
                            reason: "ImagePullBackOff",
                            message: "Back-off pulling image",
                          },
                        },
                      },
                    ],
                  },
                },
              },
            ],
          };
        if (job === "iperf3-client-cross-node")
          return {
            pods: [
              ranPod("client-1", [1, 2, 2], {
                logs: {
                  iperf3:
                    '{"start":{},"intervals":[],"end":{},"error":"unable to connect to server: Connection refused"}',
                },
              }),
            ],
            end: {
              type: "Failed",
              reason: "BackoffLimitExceeded",
              message: "Job has reached the specified backoff limit",
            },
          };
        return healthy(job, run);
      },
      NODES.map((n) => node(n)),
      { [NODES[0]]: summary, [NODES[1]]: 503 },
    );
    expect(byProbe["pod-start"]).toEqual({
      probe: "pod-start",
      status: "failed",
      samples: [],
      reason: expect.stringMatching(
        /^Job pod-start failed: DeadlineExceeded: Job was active longer than specified deadline; pod-start-0 never scheduled: Unschedulable \(0\/2 nodes are available: 2 Insufficient cpu\.\)/,
      ),
    });
    expect(byProbe["dns-service"]?.status).toBe("failed");
    expect(byProbe["dns-service"]?.reason).toMatch(
      /^timed out after 0\.\d s; dns-1 never started: ImagePullBackOff \(Back-off pulling image\)$/,
    );
    expect(byProbe["pod-network"]).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("iperf3: unable to connect to server: Connection refused"),
    });
    // The other probes still ran and read.
    expect(byProbe["pod-network-same-node"]?.status).toBe("ok");
    expect(byProbe["image-pull"]?.status).toBe("ok");
    // Half the reads: the worker's kubelet answered 503; the samples taken stay.
    expect(byProbe["node-memory"]).toMatchObject({
      status: "failed",
      samples: [650, 650],
      reason: `${NODES[1]}'s summary: HTTP 503`,
    });
    expect(collected.results.filter((r) => r.status === "failed").every((r) => r.reason)).toBe(
      true,
    );
    for (const [, j] of fake.state) expect(j.suspended).toBe(true);
  });

  it("leaves out the nodes it is told to, and runs again a Job that ran before", async () => {
    const fake = fakeKubeApi(
      jobs,
      healthy,
      [node(NODES[0] ?? ""), node("br-0", { "minos.dev/os": "bottlerocket" })],
      summaries,
    );
    const api = await stand.serve(fake.handle);
    const k = kubeApi(stand.as(api.endpoint));
    const skipping = { ...plan, skipNodesLabelled: { "minos.dev/os": "bottlerocket" } };
    await runProbes(k, skipping, clock);
    const { results } = await runProbes(k, skipping, clock);
    expect(fake.runs.get("dns")).toBe(2);
    expect(fake.calls).not.toContain("GET /api/v1/nodes/br-0/proxy/stats/summary");
    expect(results.find((r) => r.probe === "reserved-memory")?.samples).toEqual([100]);
  });

  it("fails every probe with the reason when the API cannot be reached, and never throws", async () => {
    const { results } = await runProbes(
      kubeApi({ ...stand.as("https://127.0.0.1:9"), endpoint: "https://127.0.0.1:9" }),
      plan,
      clock,
    );
    expect(results.map((r) => r.probe)).toEqual(COLLECTED);
    expect(results.every((r) => r.status === "failed" && /ECONNREFUSED/.test(r.reason ?? ""))).toBe(
      true,
    );
  });
});

describe("the collector's provider", () => {
  const inputs = (endpoint: string, runId = "1"): CollectorInputs => ({
    ...stand.as(endpoint),
    cluster: "flatcar",
    runId,
    plan,
    intervalSeconds: 0.02,
  });

  it("is the provider the shim loads, records the results under the cluster's name", async () => {
    expect(providers.probeCollector).toBe(collectorProvider);
    const fake = fakeKubeApi(
      jobs,
      healthy,
      NODES.map((n) => node(n)),
      summaries,
    );
    const api = await stand.serve(fake.handle);
    const made = await collectorProvider.create?.(inputs(api.endpoint));
    const outs = made?.outs as CollectorOutputs;
    expect(made?.id).toBe("flatcar-1");
    expect(outs.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(outs.results.map((r) => r.probe)).toEqual(COLLECTED);
    expect(new Set(outs.results.map((r) => r.cluster))).toEqual(new Set(["flatcar"]));
    expect(outs.posture).toHaveLength(2);
  });

  it("runs again only for a new runId; anything else is recorded with the results kept", async () => {
    const olds = {
      ...inputs("https://a"),
      startedAt: "2026-11-26T10:00:00Z",
      seconds: 1,
      results: [],
      posture: [],
    };
    const diff = collectorProvider.diff?.bind(collectorProvider);
    expect(await diff?.("x", olds, inputs("https://a", "2"))).toMatchObject({
      changes: true,
      replaces: ["runId"],
    });
    expect(
      await diff?.("x", olds, { ...inputs("https://a"), clientKeyPem: "renewed" }),
    ).toMatchObject({
      changes: true,
      replaces: [],
    });
    expect(await diff?.("x", olds, inputs("https://a"))).toMatchObject({ changes: false });
    const updated = await collectorProvider.update?.("x", olds, {
      ...inputs("https://a"),
      cluster: "fl",
    });
    expect(updated?.outs).toMatchObject({ startedAt: olds.startedAt, cluster: "fl" });
  });
});

describe("kubeconfigTarget", () => {
  it("reads a minos cluster's admin kubeconfig back into the endpoint and credentials", () => {
    const target = {
      endpoint: "https://10.90.0.10:6443",
      caCertPem: "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n",
      clientCertPem: "-----BEGIN CERTIFICATE-----\nadmin\n-----END CERTIFICATE-----\n",
      clientKeyPem: "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n",
    };
    const text = renderKubeconfig({
      clusterName: "cmp-flatcar",
      endpoint: { host: "10.90.0.10", port: 6443 },
      caCertPem: target.caCertPem,
      clientCertPem: target.clientCertPem,
      clientKeyPem: target.clientKeyPem,
    });
    expect(kubeconfigTarget(text)).toEqual(target);
  });

  it("refuses a kubeconfig without inline credentials, naming what is missing and no secret", () => {
    const text =
      "apiVersion: v1\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: https://x:6443, certificate-authority: /etc/ca.crt}}]\nusers: [{name: u, user: {token: abc}}]\n";
    expect(() => kubeconfigTarget(text)).toThrow("missing: caCertPem, clientCertPem, clientKeyPem");
  });
});
