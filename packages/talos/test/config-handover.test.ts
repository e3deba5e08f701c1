import * as grpc from "@grpc/grpc-js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { grpcError, startApid, stopApids, talosPki } from "../../../test/support/apid.js";
import type { MaintenanceNode } from "../../../test/support/maintenance-node.js";
import { maintenanceApid, maintenanceNode } from "../../../test/support/maintenance-node.js";
import type { RoundRobin } from "../../../test/support/tcp-round-robin.js";
import { roundRobin } from "../../../test/support/tcp-round-robin.js";
import type { Pem } from "../../../test/support/tls.js";
import { machineService, unary } from "../src/machine-api.js";
import { handOverConfig, isConfigured } from "../src/maintenance-client.js";
import { talosConfigHandoverProvider } from "../src/providers.js";

let talos: { ca: { cert: string }; server: Pem; admin: Pem };
const nodes: MaintenanceNode[] = [];
let balancers: RoundRobin[] = [];

beforeAll(async () => {
  talos = await talosPki();
});

afterEach(async () => {
  await Promise.all([...nodes.splice(0), ...balancers.splice(0)].map((n) => n.close()));
  balancers = [];
  stopApids();
});

/** Nodes behind a round-robin balancer, as a cloud's control plane behind its load balancer. */
async function cluster(...configured: boolean[]) {
  const made = await Promise.all(configured.map((c) => maintenanceNode(talos, { configured: c })));
  nodes.push(...made);
  const lb = await roundRobin(() => made.map((n) => n.port));
  balancers.push(lb);
  return { nodes: made, lb };
}

const CONFIG = "version: v1alpha1\nmachine:\n  type: controlplane\n  ca:\n    key: c2VjcmV0\n";

describe("a configured apid and a client without a certificate", () => {
  it("refuses it in the TLS handshake, which counts as configured", async () => {
    const apid = await startApid(talos.ca, talos.server, {
      ApplyConfiguration: (_c: unknown, done: grpc.sendUnaryData<unknown>) => done(null, {}),
    });
    const MachineService = machineService();
    const client = new MachineService(
      apid.address,
      grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false }),
    );
    const answer = await unary(client, "ApplyConfiguration", { data: Buffer.from("x") }, 5000);
    client.close();
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.details).toMatch(/certificate required/);
    expect(isConfigured(answer.error)).toBe(true);
    // Unreachable is not configured: that node may yet take it.
    const down = { code: grpc.status.UNAVAILABLE, details: "connect ECONNREFUSED" };
    expect(isConfigured(down as grpc.ServiceError)).toBe(false);
  });
});

describe("handing control-plane nodes their config in maintenance mode", () => {
  it("reaches both nodes behind the balancer, byte for byte, with no third attempt", async () => {
    const {
      nodes: [a, b],
      lb,
    } = await cluster(false, false);
    const done = await handOverConfig(lb.address, CONFIG, 2, { timeoutMs: 20_000, pollMs: 20 });
    expect(done).toEqual({ accepted: 2, attempts: 2, configured: 0 });
    expect(a?.received).toEqual([Buffer.from(CONFIG)]);
    expect(b?.received).toEqual([Buffer.from(CONFIG)]);
    expect(lb.connections).toEqual([0, 1]);
    expect([a?.configured(), b?.configured()]).toEqual([true, true]);
  });

  it("tries again past a node that has a config until the one without takes it", async () => {
    const {
      nodes: [a, b],
      lb,
    } = await cluster(true, false);
    const done = await handOverConfig(lb.address, CONFIG, 1, { timeoutMs: 20_000, pollMs: 20 });
    expect(done).toEqual({ accepted: 1, attempts: 2, configured: 1 });
    expect(a?.received).toEqual([]);
    expect(b?.received).toEqual([Buffer.from(CONFIG)]);
  });

  it("fails with a clear error when every node keeps refusing, after the timeout", async () => {
    const { nodes: made, lb } = await cluster(true, true);
    const failed = handOverConfig(lb.address, CONFIG, 2, { timeoutMs: 1500, pollMs: 20 });
    await expect(failed).rejects.toThrow(
      /only 0 of 2 control-plane nodes took their machine config through 127\.0\.0\.1:\d+ within 2 s \(\d+ attempts, [1-9]\d* answered as configured already\); last answer: UNAVAILABLE: .*certificate required.*replace it/s,
    );
    expect(made.flatMap((n) => n.received)).toEqual([]);
    expect(lb.connections.length).toBeGreaterThan(2);
  });

  it("stops at once when Talos refuses the config itself", async () => {
    // Maintenance-mode TLS (no client certificate asked), answering as machined does a bad config.
    const { server, port } = await maintenanceApid({
      ApplyConfiguration: (_c: unknown, done: grpc.sendUnaryData<unknown>) =>
        done(grpcError(grpc.status.INVALID_ARGUMENT, "unknown keys found during decoding")),
    });
    try {
      const lb = await roundRobin(() => [port]);
      balancers.push(lb);
      await expect(
        handOverConfig(lb.address, CONFIG, 1, { timeoutMs: 20_000, pollMs: 20 }),
      ).rejects.toThrow(
        "minos: Talos in maintenance mode refused the machine config: INVALID_ARGUMENT: unknown keys found during decoding",
      );
      expect(lb.connections).toEqual([0]);
    } finally {
      server.forceShutdown();
    }
  });
});

describe("the TalosConfigHandover provider", () => {
  it("hands every machine's node the config on create, then only a replaced machine's", async () => {
    const { nodes: made, lb } = await cluster(false, false);
    const inputs = {
      address: lb.address,
      config: CONFIG,
      machines: ["i-aaa", "i-bbb"],
      timeoutSeconds: 20,
    };
    const created = await talosConfigHandoverProvider.create?.(inputs);
    expect(created?.outs).toMatchObject({ handedOver: 2 });
    expect(made.map((n) => n.received.length)).toEqual([1, 1]);

    // A changed config alone is recorded: running nodes take it over mutual TLS.
    const changed = { ...inputs, config: `${CONFIG}# patched\n` };
    const diff = await talosConfigHandoverProvider.diff?.("id", inputs, changed);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const recorded = await talosConfigHandoverProvider.update?.("id", inputs, changed);
    expect(recorded?.outs).toMatchObject({ handedOver: 0 });

    // i-bbb replaced by i-ccc: a new node in maintenance mode behind the balancer.
    const fresh = await maintenanceNode(talos);
    nodes.push(fresh);
    made.push(fresh);
    const replaced = { ...changed, machines: ["i-aaa", "i-ccc"] };
    const updated = await talosConfigHandoverProvider.update?.("id", changed, replaced);
    expect(updated?.outs).toMatchObject({ handedOver: 1 });
    expect(fresh.received).toEqual([Buffer.from(replaced.config)]);
    expect(made.slice(0, 2).map((n) => n.received.length)).toEqual([1, 1]);
  });
});
