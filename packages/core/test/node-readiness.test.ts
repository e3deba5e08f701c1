import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apiServerFixture, closeServer } from "../../../test/support/mtls-server.js";
import { testCa } from "../../../test/support/tls.js";
import type { NodesAttempt, ReadyzAttempt } from "../src/index.js";
import { apiReadinessProvider, parseNodes, pollNodes, pollReadyz } from "../src/index.js";

/** A NodeList as `GET /api/v1/nodes` returns it (written from the v1 Node reference). */
const NODES = readFileSync(new URL("./fixtures/nodes.json", import.meta.url), "utf8");
/** The same list a minute earlier: the worker not Ready yet. */
const NOT_YET = (() => {
  const list = JSON.parse(NODES);
  const worker = list.items.find((n: { metadata: { name: string } }) =>
    n.metadata.name.includes("worker"),
  );
  for (const c of worker.status.conditions) if (c.type === "Ready") c.status = "False";
  return JSON.stringify(list);
})();

const stand = apiServerFixture();
const as = stand.as;

/** An API server that answers `/readyz` and `/api/v1/nodes` from scripted sequences. */
async function apiServer(port: number, readyz: number[], nodes: string[]) {
  const api = await stand.serve((req, res) => {
    if (req.url === "/readyz") return res.writeHead(readyz.shift() ?? 200).end();
    if (req.url === "/api/v1/nodes")
      return res.writeHead(200, { "content-type": "application/json" }).end(nodes.shift() ?? NODES);
    res.writeHead(404).end();
  }, port);
  return { ...api, paths: () => api.seen.map((r) => r.path) };
}

describe("node readiness", () => {
  it("reads the inventory a comparison needs from a NodeList", () => {
    expect(parseNodes(NODES)).toEqual([
      {
        name: "lab-control-plane-0",
        role: "control-plane",
        osImage: "Flatcar Container Linux by Kinvolk 4459.2.1 (Oklo)",
        kernelVersion: "6.12.58-flatcar",
        containerRuntime: "containerd://2.1.5",
        kubeletVersion: "v1.37.1",
        architecture: "amd64",
        ready: true,
        readySince: "2026-11-26T10:01:05Z",
      },
      expect.objectContaining({ name: "lab-worker-general-0", role: "worker", ready: true }),
    ]);
    expect(parseNodes(NOT_YET).map((n) => n.ready)).toEqual([true, false]);
  });

  it("goes from nothing listening, to 503, to ready, then waits for every node", async () => {
    // Take a free port, leave it closed while the poller starts, then listen there.
    const probe = await apiServer(0, [], []);
    const port = Number(new URL(probe.endpoint).port);
    await closeServer(probe.server);
    const api: ReadyzAttempt[] = [];
    let endpointReady: ReturnType<typeof apiServer> | undefined;
    const polling = pollReadyz(
      as(`https://127.0.0.1:${port}`),
      { timeoutSeconds: 20, intervalSeconds: 0.2 },
      (a) => {
        api.push(a);
        if (a.attempt === 2) endpointReady = apiServer(port, [503], [NOT_YET, NOT_YET]);
      },
    );
    await polling;
    expect(api[0]?.status).toBe("ECONNREFUSED");
    expect(api.map((a) => a.status)).toContain("HTTP 503");
    expect(api.at(-1)?.status).toBe("HTTP 200");

    const nodes: NodesAttempt[] = [];
    const done = await pollNodes(
      as(`https://127.0.0.1:${port}`),
      { timeoutSeconds: 20, intervalSeconds: 0.05 },
      2,
      (a) => nodes.push(a),
    );
    expect(nodes.map((n) => n.status)).toEqual([
      "nodes ready 1/2",
      "nodes ready 1/2",
      "nodes ready 2/2",
    ]);
    expect(done.nodes.every((n) => n.ready)).toBe(true);
    expect((await endpointReady)?.paths().filter((u) => u === "/api/v1/nodes")).toHaveLength(3);
  });

  it("times out with the last node count, and fails clearly against a stranger's CA", async () => {
    const { endpoint } = await apiServer(0, [], Array(100).fill(NOT_YET));
    await expect(
      pollNodes(as(endpoint), { timeoutSeconds: 0.3, intervalSeconds: 0.1 }, 2),
    ).rejects.toThrow(
      /2 nodes of .* were not Ready after [\d.]+ s \(\d+ attempts\); last status: nodes ready 1\/2/,
    );
    const stranger = await testCa("stranger");
    await expect(
      pollNodes(
        { ...as(endpoint), caCertPem: stranger.cert },
        { timeoutSeconds: 0.2, intervalSeconds: 0.1 },
        1,
      ),
    ).rejects.toThrow(
      /last status: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT)/,
    );
  });

  it("records both timings and the inventory through the dynamic provider", async () => {
    const { endpoint } = await apiServer(0, [503], [NOT_YET]);
    const created = await apiReadinessProvider.create?.({
      ...as(endpoint),
      timeoutSeconds: 20,
      intervalSeconds: 0.05,
      waitFor: "nodes",
      expectedNodes: 2,
    });
    expect(created?.id).toBe(`${endpoint}#nodes`);
    expect(created?.outs).toMatchObject({
      attempts: 2,
      readySeconds: expect.any(Number),
      nodesReadySeconds: expect.any(Number),
    });
    expect(created?.outs.nodes).toHaveLength(2);
    expect(created?.outs.nodesReadySeconds).toBeGreaterThanOrEqual(created?.outs.readySeconds);
  });
});
