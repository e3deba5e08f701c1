/**
 * The load balancer and volume probe against the mutual-TLS API-server
 * stand-in, which keeps the claims, pods, Services and volumes it makes at
 * run time, and a local HTTP server as the load balancer (the stand-in's
 * address is 127.0.0.1; only the port differs from a real run, through the
 * collector's internal `HttpCheck`): all well, a load balancer that never
 * gets an address or never answers 200, a claim that never binds, a
 * deletion that never ends, an earlier run's leftovers, and parts the
 * cluster lacks.
 */
import type { Server } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { apiServerFixture } from "../../../test/support/mtls-server.js";
import { ingressUrl } from "../src/collector/http-check.js";
import { kubeApi } from "../src/collector/kube-api.js";
import { runLbVolume } from "../src/collector/lb-volume.js";
import type { ProbeOutcome } from "../src/collector/plan.js";
import type { LbVolumeParts } from "../src/probes/lb-volume.js";
import { lbVolumeObjects } from "../src/probes/lb-volume.js";
import { resolveProbeSettings } from "../src/probes/settings.js";
import { apiFieldProblems, apiFixture } from "./support/api-fields.js";
import { fakeKubeApi } from "./support/fake-kube-api.js";
import type { LbVolumeRound } from "./support/fake-objects.js";
import { fakeObjects } from "./support/fake-objects.js";

const stand = apiServerFixture();
const settings = resolveProbeSettings({ nodes: 2, lbVolumeRounds: 2 });
const clock = { intervalSeconds: 0.02 };
const BOTH: LbVolumeParts = { volumes: true, loadBalancers: true };

let webs: Server[] = [];
afterEach(async () => {
  await Promise.all(webs.map((w) => new Promise<void>((r) => w.close(() => r()))));
  webs = [];
});

/** The load balancer's backend: answers each GET with the next status (the last one repeated). */
async function web(statuses: number[] = [200]) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const status = statuses[Math.min(hits.length, statuses.length - 1)] ?? 200;
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(status, { "content-type": "text/html" }).end("<p>nginx</p>");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  webs.push(server);
  return { port: (server.address() as AddressInfo).port, hits };
}

const well = (round: number): LbVolumeRound => ({
  claimBindsAfter: 2,
  podReadyAfter: 3,
  startedAt: 5 + 2 * round,
  ingressAfter: 10,
});

async function probe(
  scenario: (round: number) => LbVolumeRound,
  opts: { parts?: LbVolumeParts; timeoutSeconds?: number; statuses?: number[] } = {},
) {
  const parts = opts.parts ?? BOTH;
  const objects = fakeObjects(scenario);
  const fake = fakeKubeApi(
    [],
    () => {
      throw new Error("no Job here");
    },
    [],
    {},
    objects,
  );
  const api = await stand.serve(fake.handle);
  const lb = await web(opts.statuses);
  const plan = {
    namespace: settings.namespace,
    timeoutSeconds: opts.timeoutSeconds ?? 0.4,
    lbVolume: {
      ...parts,
      rounds: settings.lbVolumeRounds,
      objects: lbVolumeObjects(settings, parts),
    },
  };
  const k = kubeApi(stand.as(api.endpoint));
  const run = () => runLbVolume(k, plan, clock, () => {}, { port: lb.port, attemptSeconds: 1 });
  return { objects, fake, lb, k, run };
}

const byProbe = (results: ProbeOutcome[]) => Object.fromEntries(results.map((r) => [r.probe, r]));

describe("the load balancer and volume probe", () => {
  it("times each round's volume from the API's stamps and its load balancer's first 200, then deletes all", async () => {
    const { objects, fake, lb, run } = await probe(well, { timeoutSeconds: 3 });
    const results = byProbe(await run());
    // Claim created → container started: 7 s, then 9 s, as the API reports them.
    expect(results["volume-ready"]).toEqual({
      probe: "volume-ready",
      status: "ok",
      samples: [7, 9],
    });
    const answers = results["load-balancer-answers"];
    expect(answers?.status).toBe("ok");
    expect(answers?.samples).toHaveLength(2);
    // Ten reads without an address, 20 ms apart: the wait is in the sample.
    for (const s of answers?.samples ?? []) expect(s).toBeGreaterThanOrEqual(0.2);
    expect(lb.hits).toEqual(["GET /", "GET /"]);
    // The claim with its pod; the Service only once the pod is Ready.
    expect(objects.made).toEqual([
      "PersistentVolumeClaim lb-volume",
      "Pod lb-volume",
      "Service lb-volume (pod Ready)",
      "PersistentVolumeClaim lb-volume",
      "Pod lb-volume",
      "Service lb-volume (pod Ready)",
    ]);
    // Deleted Service first, then the pod, then the claim; everything gone, the volumes too.
    expect(fake.calls.filter((c) => c.startsWith("DELETE"))).toEqual(
      Array(2)
        .fill([
          "DELETE /api/v1/namespaces/minos-probes/services/lb-volume",
          "DELETE /api/v1/namespaces/minos-probes/pods/lb-volume",
          "DELETE /api/v1/namespaces/minos-probes/persistentvolumeclaims/lb-volume",
        ])
        .flat(),
    );
    expect(fake.calls).toContain(`GET /api/v1/persistentvolumes/pvc-u0`);
    expect([...objects.held.keys()]).toEqual([]);
  });

  it("serves only fields of the API's own types (Kubernetes 1.35.2)", async () => {
    const { k, objects } = await probe(() => ({
      ...well(1),
      claimBindsAfter: 0,
      podReadyAfter: 0,
      ingressAfter: 0,
      events: {
        PersistentVolumeClaim: [
          { type: "Normal", reason: "ProvisioningSucceeded", message: "Successfully provisioned" },
        ],
      },
    }));
    const made = lbVolumeObjects(settings, BOTH);
    for (const m of [made.claim, made.pod, made.service])
      await k.request("POST", `/api/v1/namespaces/minos-probes/${m?.kind.toLowerCase()}s`, m);
    const base = "/api/v1/namespaces/minos-probes";
    const claim = await k.getJson<{ spec: { volumeName: string } }>(
      `${base}/persistentvolumeclaims/lb-volume`,
    );
    const served: [unknown, string][] = [
      [claim, "PersistentVolumeClaim"],
      [await k.getJson(`/api/v1/persistentvolumes/${claim.spec.volumeName}`), "PersistentVolume"],
      [await k.getJson(`${base}/pods/lb-volume`), "Pod"],
      [await k.getJson(`${base}/services/lb-volume`), "Service"],
      ...(await k.getJson<{ items: unknown[] }>(`${base}/events`)).items.map(
        (e) => [e, "Event"] as [unknown, string],
      ),
    ];
    expect(objects.events).toHaveLength(1);
    for (const [item, kind] of served)
      expect(apiFieldProblems(item, apiFixture("v1", kind)), kind).toEqual([]);
  });

  it("records a load balancer that never gets an address, with the controller's word, and goes on timing the volume", async () => {
    const { objects, run } = await probe((round) => ({
      ...well(round),
      ingressAfter: "never",
      events: {
        Service: [
          { type: "Normal", reason: "EnsuringLoadBalancer", message: "Ensuring load balancer" },
          {
            type: "Warning",
            reason: "SyncLoadBalancerFailed",
            message: "Error syncing load balancer: failed to ensure load balancer: quota exceeded",
          },
        ],
      },
    }));
    const results = byProbe(await run());
    expect(results["load-balancer-answers"]).toEqual({
      probe: "load-balancer-answers",
      status: "failed",
      samples: [],
      reason:
        "round 1: Service minos-probes/lb-volume got no load balancer address in 0.4 s: SyncLoadBalancerFailed (Error syncing load balancer: failed to ensure load balancer: quota exceeded)",
    });
    expect(results["volume-ready"]).toMatchObject({ status: "ok", samples: [7, 9] });
    // Not made again once it failed.
    expect(objects.made.filter((m) => m.startsWith("Service"))).toHaveLength(1);
    expect([...objects.held.keys()]).toEqual([]);
  });

  it("records an address that never answers 200, with the last answer", async () => {
    const { lb, run } = await probe((round) => ({ ...well(round), ingressAfter: 0 }), {
      statuses: [503],
    });
    const results = byProbe(await run());
    expect(results["load-balancer-answers"]?.reason).toBe(
      `round 1: http://127.0.0.1:${lb.port}/ gave no HTTP 200 in 0.4 s (last: HTTP 503)`,
    );
    expect(lb.hits.length).toBeGreaterThan(1);
  });

  it("takes 503s until the backend is Ready, then the 200", async () => {
    const { lb, run } = await probe((round) => ({ ...well(round), ingressAfter: 0 }), {
      statuses: [503, 503, 200],
      timeoutSeconds: 3,
    });
    const results = byProbe(await run());
    expect(results["load-balancer-answers"]?.status).toBe("ok");
    expect(lb.hits).toHaveLength(4);
  });

  it("records a claim that never binds, with what its events and the pod say, and stops", async () => {
    const { objects, run } = await probe(() => ({
      ...well(1),
      claimBindsAfter: "never",
      events: {
        PersistentVolumeClaim: [
          {
            type: "Normal",
            reason: "WaitForFirstConsumer",
            message: "waiting for first consumer to be created before binding",
          },
          {
            type: "Warning",
            reason: "ProvisioningFailed",
            message:
              'failed to provision volume with StorageClass "minos-default": rpc error: code = Internal desc = no disk available',
          },
        ],
      },
    }));
    const results = byProbe(await run());
    const why =
      'claim lb-volume still Pending after 0.4 s: ProvisioningFailed (failed to provision volume with StorageClass "minos-default": rpc error: code = Internal desc = no disk available); lb-volume never scheduled: Unschedulable (0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.)';
    expect(results["volume-ready"]).toEqual({
      probe: "volume-ready",
      status: "failed",
      samples: [],
      reason: `round 1: ${why}`,
    });
    expect(results["load-balancer-answers"]).toMatchObject({
      status: "failed",
      reason: `round 1: not measured: ${why}`,
    });
    // One round, no Service, nothing left.
    expect(objects.made).toEqual(["PersistentVolumeClaim lb-volume", "Pod lb-volume"]);
    expect([...objects.held.keys()]).toEqual([]);
  });

  it("names what a deletion left behind, keeps the samples taken, and runs no other round", async () => {
    const { objects, run } = await probe(
      (round) => ({ ...well(round), ingressAfter: 0, stuck: ["Service", "PersistentVolume"] }),
      { timeoutSeconds: 1 },
    );
    const results = byProbe(await run());
    expect(results["load-balancer-answers"]).toMatchObject({
      status: "failed",
      samples: [expect.any(Number)],
      reason: "round 1: Service minos-probes/lb-volume still there 1 s after it was deleted",
    });
    expect(results["volume-ready"]).toEqual({
      probe: "volume-ready",
      status: "failed",
      samples: [7],
      reason: "round 1: PersistentVolume pvc-u0 still there 1 s after it was deleted",
    });
    expect([...objects.held.keys()].sort()).toEqual([
      "PersistentVolume/pvc-u0",
      "Service/lb-volume",
    ]);
    expect(objects.made.filter((m) => m.startsWith("Pod"))).toHaveLength(1);
  });

  it("deletes what an earlier run left before its first round", async () => {
    const { k, fake, run } = await probe(well, { timeoutSeconds: 3 });
    await k.request(
      "POST",
      "/api/v1/namespaces/minos-probes/services",
      lbVolumeObjects(settings, BOTH).service,
    );
    const results = await run();
    expect(results.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(fake.calls.slice(0, 5)).toEqual([
      "POST /api/v1/namespaces/minos-probes/services",
      "GET /api/v1/namespaces/minos-probes/services/lb-volume",
      "GET /api/v1/namespaces/minos-probes/pods/lb-volume",
      "GET /api/v1/namespaces/minos-probes/persistentvolumeclaims/lb-volume",
      "DELETE /api/v1/namespaces/minos-probes/services/lb-volume",
    ]);
  });

  it("makes no claim where the cluster has no volumes, and nothing where it has neither part", async () => {
    const lbOnly = await probe(well, { parts: { volumes: false, loadBalancers: true } });
    const results = byProbe(await lbOnly.run());
    expect(results["volume-ready"]).toEqual({
      probe: "volume-ready",
      status: "failed",
      samples: [],
      reason: "the cluster has no volumes",
    });
    expect(results["load-balancer-answers"]).toMatchObject({ status: "ok" });
    expect(lbOnly.objects.made).not.toContain("PersistentVolumeClaim lb-volume");
    const pod = lbVolumeObjects(settings, { volumes: false, loadBalancers: true }).pod;
    expect(JSON.stringify(pod)).not.toContain("persistentVolumeClaim");

    const neither = await probe(well, { parts: { volumes: false, loadBalancers: false } });
    expect(await neither.run()).toEqual([
      {
        probe: "volume-ready",
        status: "failed",
        samples: [],
        reason: "the cluster has no volumes",
      },
      {
        probe: "load-balancer-answers",
        status: "failed",
        samples: [],
        reason: "the cluster has no load balancers",
      },
    ]);
    expect(neither.fake.calls).toEqual([]);
  });

  it("checks an IP, an IPv6 address or a host name on port 80 in a real run", () => {
    expect(ingressUrl("203.0.113.7", 80)).toBe("http://203.0.113.7:80/");
    expect(ingressUrl("2001:db8::7", 80)).toBe("http://[2001:db8::7]:80/");
    expect(ingressUrl("a1b2-lb.elb.eu-west-1.amazonaws.com", 80)).toBe(
      "http://a1b2-lb.elb.eu-west-1.amazonaws.com:80/",
    );
  });
});
