import { createRequire } from "node:module";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { apiServerFixture } from "../../../test/support/mtls-server.js";
import { testCa } from "../../../test/support/tls.js";
import type { ReadyzAttempt } from "../src/index.js";
import { apiReadinessProvider, pollReadyz } from "../src/index.js";

const stand = apiServerFixture();

/** An API-server stand-in: mutual TLS, `/readyz` failing `failures` times first. */
function apiServer(failures: number) {
  let left = failures;
  return stand.serve((req, res) => {
    if (req.url !== "/readyz") return res.writeHead(404).end();
    if (left-- > 0) return res.writeHead(503).end("[-]etcd failed");
    res.writeHead(200).end("ok");
  });
}

describe("API readiness", () => {
  it("polls /readyz over mutual TLS until it answers 200", async () => {
    const api = await apiServer(2);
    const progress: ReadyzAttempt[] = [];
    const done = await pollReadyz(
      stand.as(api.endpoint),
      { timeoutSeconds: 30, intervalSeconds: 0.05 },
      (a) => progress.push(a),
    );
    expect(done).toMatchObject({ attempt: 3, status: "HTTP 200" });
    expect(progress.map((p) => p.status)).toEqual(["HTTP 503", "HTTP 503", "HTTP 200"]);
    expect(api.seen).toEqual(Array(3).fill({ path: "/readyz", client: "minos-admin" }));
  });

  it("times out with the last status when the server never gets ready", async () => {
    const api = await apiServer(1000);
    await expect(
      pollReadyz(stand.as(api.endpoint), { timeoutSeconds: 0.3, intervalSeconds: 0.1 }),
    ).rejects.toThrow(/was not ready after [\d.]+ s \(\d+ attempts\); last status: HTTP 503/);
  });

  it("does not trust a server outside the cluster CA", async () => {
    const api = await apiServer(0);
    const stranger = await testCa("stranger");
    await expect(
      pollReadyz(
        {
          endpoint: api.endpoint,
          caCertPem: stranger.cert,
          clientCertPem: stand.admin.cert,
          clientKeyPem: stand.admin.key,
        },
        { timeoutSeconds: 0.2, intervalSeconds: 0.1 },
      ),
    ).rejects.toThrow(
      /last status: (UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT)/,
    );
    expect(api.seen).toEqual([]);
  });

  it("reports how long creation waited, through the dynamic provider", async () => {
    const api = await apiServer(1);
    const inputs = {
      ...stand.as(api.endpoint),
      timeoutSeconds: 30,
      intervalSeconds: 0.05,
    };
    const created = await apiReadinessProvider.create?.(inputs);
    expect(created?.id).toBe(api.endpoint);
    expect(created?.outs).toMatchObject({ attempts: 2, readySeconds: expect.any(Number) });
    const diff = await apiReadinessProvider.diff?.(api.endpoint, created?.outs, {
      ...inputs,
      endpoint: "https://other:6443",
    });
    expect(diff).toMatchObject({ changes: true, replaces: ["endpoint"] });
  });

  it("serializes from the built package, as Pulumi must to run it in its own process", async () => {
    // Node's own require: vitest's transformed modules are not what users run.
    const load = createRequire(import.meta.url);
    const built = load("../dist/readiness/api-readiness.js") as { apiReadinessProvider: object };
    const nativePulumi = load("@pulumi/pulumi") as typeof pulumi;
    const serialized = await nativePulumi.runtime.serializeFunction(
      () => built.apiReadinessProvider,
    );
    expect(serialized.text).toContain("/readyz");
    expect(serialized.text).toContain("node:https");
  });
});
