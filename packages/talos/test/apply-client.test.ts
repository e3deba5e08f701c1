import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApid, stopApids, talosPki } from "../../../test/support/apid.js";
import type { Pem } from "../../../test/support/tls.js";
import { testCa } from "../../../test/support/tls.js";
import { applyConfig } from "../src/apply-client.js";
import { MACHINE_PROTO } from "../src/machine-api.js";
import type { Request } from "./config-fleet.js";
import { configFleet, fail, machineConfig } from "./config-fleet.js";

type Ca = Awaited<ReturnType<typeof testCa>>;
let talosCa: Ca;
let otherCa: Ca;
let serverPem: Pem;
let admin: Pem;

beforeAll(async () => {
  ({ ca: talosCa, server: serverPem, admin } = await talosPki());
  otherCa = await testCa("maintenance", "ed25519");
});

afterEach(stopApids);

const fleet = (nodes: Record<string, string>, opts?: Parameters<typeof configFleet>[2]) =>
  configFleet({ ca: talosCa, server: serverPem }, nodes, opts);

const target = (address: string) => ({
  address,
  caPem: talosCa.cert,
  clientCertPem: admin.cert,
  clientKeyPem: admin.key,
});

describe("ApplyConfiguration on the wire", () => {
  it("encodes data, mode and dry_run with Talos's field numbers (1, 4, 5; AUTO = 1)", () => {
    const loaded = protoLoader.loadSync(MACHINE_PROTO, { keepCase: false, enums: String });
    const method = (loaded["machine.MachineService"] as protoLoader.ServiceDefinition)
      .ApplyConfiguration;
    expect(method?.path).toBe("/machine.MachineService/ApplyConfiguration");
    const bytes = method?.requestSerialize({ data: Buffer.from("ab"), mode: "AUTO", dryRun: true });
    // 0x0a: field 1, bytes; 0x20: field 4, varint; 0x28: field 5, varint.
    expect([...(bytes ?? [])]).toEqual([0x0a, 2, 0x61, 0x62, 0x20, 1, 0x28, 1]);
    // The answer's mode is field 3 (NO_REBOOT = 2).
    const answer = method?.responseDeserialize(Buffer.from([0x0a, 2, 0x18, 2]));
    expect(answer).toMatchObject({ messages: [{ mode: "NO_REBOOT" }] });
  });
});

describe("Talos config changes over the machine API", () => {
  it("applies a live change (Kubernetes images) node by node, in place, in the order given", async () => {
    const old = machineConfig("1.36.3");
    const api = await fleet({ "10.0.1.10": old, "10.0.1.11": old, "10.0.2.20": old });
    const next = machineConfig("1.36.5");
    const done = await applyConfig(
      target(api.address),
      ["10.0.1.10", "10.0.1.11", "10.0.2.20"],
      next,
      { timeoutMs: 10_000, pollMs: 20 },
    );
    expect(done.map((d) => [d.node, d.mode])).toEqual([
      ["10.0.1.10", "NO_REBOOT"],
      ["10.0.1.11", "NO_REBOOT"],
      ["10.0.2.20", "NO_REBOOT"],
    ]);
    expect([...api.state.values()].map((s) => s.running)).toEqual([next, next, next]);
    // Each node: the apply, then the dry run that proves it runs the config.
    expect(
      api.requests.map((r) => `${r.node} ${r.mode} ${r.dryRun ? "dry-run" : "apply"}`),
    ).toEqual([
      "10.0.1.10 AUTO apply",
      "10.0.1.10 AUTO dry-run",
      "10.0.1.11 AUTO apply",
      "10.0.1.11 AUTO dry-run",
      "10.0.2.20 AUTO apply",
      "10.0.2.20 AUTO dry-run",
    ]);
    expect(new Set(api.requests.map((r) => r.data.toString()))).toEqual(new Set([next]));
  });

  it("lets Talos reboot for a change it cannot apply live, and waits for each node to be back", async () => {
    const old = machineConfig("1.36.3", "a");
    const api = await fleet({ a: old, b: old });
    const next = machineConfig("1.36.3", "b");
    const done = await applyConfig(target(api.address), ["a", "b"], next, {
      timeoutMs: 10_000,
      pollMs: 20,
    });
    expect(done.map((d) => [d.node, d.mode])).toEqual([
      ["a", "REBOOT"],
      ["b", "REBOOT"],
    ]);
    // Strictly one node down at a time: b is touched only once a is back.
    expect(api.events.map((e) => `${e.what} ${e.node}`)).toEqual([
      "apply a",
      "back a",
      "apply b",
      "back b",
    ]);
    expect([...api.state.values()].map((s) => s.running)).toEqual([next, next]);
  });

  it("retries a node that is still booting until it takes the config", async () => {
    const old = machineConfig("1.36.3");
    const api = await fleet({ cp: old, booting: old });
    const booting = api.state.get("booting");
    booting?.booting.push(
      fail(grpc.status.UNAVAILABLE, "connection refused"),
      fail(grpc.status.UNAVAILABLE, "connection refused"),
      fail(grpc.status.FAILED_PRECONDITION, "another apply configuration is already in progress"),
    );
    const lines: string[] = [];
    const next = machineConfig("1.36.5");
    const done = await applyConfig(target(api.address), ["cp", "booting"], next, {
      timeoutMs: 10_000,
      pollMs: 20,
      log: (line) => lines.push(line),
    });
    expect(done.map((d) => d.node)).toEqual(["cp", "booting"]);
    expect(booting?.running).toBe(next);
    expect(lines.filter((l) => l.includes("not yet"))).toEqual([
      "apply config booting: not yet (UNAVAILABLE: connection refused)",
      "apply config booting: not yet (UNAVAILABLE: connection refused)",
      "apply config booting: not yet (FAILED_PRECONDITION: another apply configuration is already in progress)",
    ]);
  });

  it("waits out a node in maintenance mode (a certificate the Talos CA did not sign), then applies", async () => {
    const old = machineConfig("1.36.3");
    // Maintenance mode serves a certificate of its own: TLS fails, as UNAVAILABLE.
    const maintenance = await startApid(otherCa, await otherCa.server(), {});
    const { port } = maintenance;
    let later: Awaited<ReturnType<typeof fleetOn>> | undefined;
    const restarted = new Promise<void>((resolve) =>
      setTimeout(async () => {
        maintenance.server.forceShutdown();
        later = await fleetOn(port, { n: old });
        resolve();
      }, 800),
    );
    const next = machineConfig("1.36.5");
    const done = await applyConfig(target(`127.0.0.1:${port}`), ["n"], next, {
      timeoutMs: 15_000,
      pollMs: 100,
    });
    await restarted;
    expect(done.map((d) => [d.node, d.mode])).toEqual([["n", "NO_REBOOT"]]);
    expect(later?.state.get("n")?.running).toBe(next);
  });

  it("stops, leaving the rest alone, when a node does not come back in time", async () => {
    const old = machineConfig("1.36.3", "a");
    const api = await fleet({ a: old, b: old }, { rebootMs: 60_000 });
    await expect(
      applyConfig(target(api.address), ["a", "b"], machineConfig("1.36.3", "b"), {
        timeoutMs: 1500,
        pollMs: 50,
      }),
    ).rejects.toThrow(
      /a did not come back with its machine config in time; last answer: UNAVAILABLE: a is rebooting/,
    );
    expect(api.events.map((e) => `${e.what} ${e.node}`)).toEqual(["apply a"]);
  });

  it("stops at once when Talos refuses the config, touching no other node", async () => {
    const old = machineConfig("1.36.3");
    const api = await fleet(
      { a: old, b: old },
      { refuse: () => fail(grpc.status.INVALID_ARGUMENT, "1 error occurred: unknown keys found") },
    );
    await expect(
      applyConfig(target(api.address), ["a", "b"], machineConfig("1.36.5"), {
        timeoutMs: 10_000,
        pollMs: 20,
      }),
    ).rejects.toThrow(
      "minos: Talos on a refused the machine config (INVALID_ARGUMENT): 1 error occurred: unknown keys found",
    );
    expect(api.requests.map((r) => r.node)).toEqual(["a"]);
  });
});

/** The same fleet on a given port (a node's apid after it left maintenance mode). */
async function fleetOn(port: number, nodes: Record<string, string>) {
  const state = new Map(Object.entries(nodes).map(([n, running]) => [n, { running }]));
  await startApid(
    talosCa,
    serverPem,
    {
      ApplyConfiguration: (
        call: grpc.ServerUnaryCall<Request, unknown>,
        cb: grpc.sendUnaryData<unknown>,
      ) => {
        const s = state.get(call.metadata.get("node")[0] as string);
        if (!s) return cb(fail(grpc.status.UNAVAILABLE, "no such node"));
        if (!call.request.dryRun) s.running = call.request.data.toString();
        cb(null, { messages: [{ mode: "NO_REBOOT" }] });
      },
    },
    port,
  );
  return { state };
}
