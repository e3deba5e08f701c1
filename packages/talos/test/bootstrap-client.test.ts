import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { promisify } from "node:util";
import * as grpc from "@grpc/grpc-js";
import type * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { grpcError, startApid, stopApids, talosPki } from "../../../test/support/apid.js";
import type { Pem } from "../../../test/support/tls.js";
import { testCa } from "../../../test/support/tls.js";
import { bootstrapEtcd } from "../src/bootstrap-client.js";
import { etcdBootstrapProvider } from "../src/providers.js";

type Ca = Awaited<ReturnType<typeof testCa>>;
let talosCa: Ca;
let otherCa: Ca;
let serverPem: Pem;
let admin: Pem;

beforeAll(async () => {
  ({ ca: talosCa, server: serverPem, admin } = await talosPki());
  otherCa = await testCa("someone-else", "ed25519");
});

interface Seen {
  path: string;
  request: unknown;
  peerCertOrg?: string;
}

/** A stand-in for apid: mutual TLS against the Talos OS CA, answering Bootstrap as told. */
async function apid(answer: (call: number) => grpc.ServiceError | null) {
  const seen: Seen[] = [];
  const started = await startApid(talosCa, serverPem, {
    Bootstrap: (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      callback: grpc.sendUnaryData<unknown>,
    ) => {
      seen.push({ path: call.getPath(), request: call.request });
      const error = answer(seen.length);
      if (error) callback(error);
      else callback(null, { messages: [{ metadata: { hostname: "cp-0" } }] });
    },
  });
  return { ...started, seen };
}
afterEach(stopApids);

const fail = grpcError;

const target = (address: string, client = admin) => ({
  address,
  caPem: talosCa.cert,
  clientCertPem: client.cert,
  clientKeyPem: client.key,
});

describe("the etcd bootstrap call", () => {
  it("reaches /machine.MachineService/Bootstrap with the expected message", async () => {
    const node = await apid(() => null);
    const outcome = await bootstrapEtcd(target(node.address), { timeoutMs: 10_000 });
    expect(outcome).toEqual({ result: "bootstrapped", node: "cp-0", attempts: 1 });
    expect(node.seen).toEqual([
      {
        path: "/machine.MachineService/Bootstrap",
        request: { recoverEtcd: false, recoverSkipHashCheck: false },
      },
    ]);
  });

  it("is refused with a client certificate from another CA, and never reaches the service", async () => {
    const node = await apid(() => null);
    const stranger = await otherCa.client("O=os:admin,CN=intruder");
    await expect(
      bootstrapEtcd(target(node.address, stranger), { timeoutMs: 2_000, retryMs: 200 }),
    ).rejects.toThrow(/not bootstrapped .* within 2 s .*UNAVAILABLE/);
    expect(node.seen).toEqual([]);
  });

  it("does not trust a server whose certificate the Talos OS CA did not sign", async () => {
    const node = await apid(() => null);
    await expect(
      bootstrapEtcd(
        { ...target(node.address), caPem: otherCa.cert },
        { timeoutMs: 1_500, retryMs: 200 },
      ),
    ).rejects.toThrow(/UNAVAILABLE/);
    expect(node.seen).toEqual([]);
  });

  it("retries while the node is unreachable, then succeeds once it is up", async () => {
    // Find a free port, then start apid there only after the client has tried a few times.
    const probe = await apid(() => null);
    const { port } = probe;
    probe.server.forceShutdown();
    const lines: string[] = [];
    const late = new Promise<Awaited<ReturnType<typeof apid>>>((resolve) =>
      setTimeout(async () => {
        const seen: Seen[] = [];
        const started = await startApid(
          talosCa,
          serverPem,
          {
            Bootstrap: (_: unknown, callback: grpc.sendUnaryData<unknown>) => {
              seen.push({ path: "", request: {} });
              callback(null, { messages: [{ metadata: { hostname: "late" } }] });
            },
          },
          port,
        );
        resolve({ ...started, seen });
      }, 1500),
    );
    const outcome = await bootstrapEtcd(target(`127.0.0.1:${port}`), {
      timeoutMs: 20_000,
      retryMs: 200,
      log: (l) => lines.push(l),
    });
    await late;
    expect(outcome).toMatchObject({ result: "bootstrapped", node: "late" });
    expect(outcome.attempts).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/attempt 1 after \d+ s: UNAVAILABLE/);
  });

  it("waits out FailedPrecondition (time not synced yet), logging each attempt", async () => {
    const node = await apid((n) =>
      n < 3 ? fail(grpc.status.FAILED_PRECONDITION, "time is not in sync yet") : null,
    );
    const lines: string[] = [];
    const outcome = await bootstrapEtcd(target(node.address), {
      timeoutMs: 10_000,
      retryMs: 100,
      log: (l) => lines.push(l),
    });
    expect(outcome).toEqual({ result: "bootstrapped", node: "cp-0", attempts: 3 });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/attempt 2 .*FAILED_PRECONDITION: time is not in sync yet/);
  });

  it("counts 'already bootstrapped' as success", async () => {
    const node = await apid(() =>
      fail(grpc.status.ALREADY_EXISTS, "etcd data directory is not empty"),
    );
    expect(await bootstrapEtcd(target(node.address), { timeoutMs: 5_000 })).toEqual({
      result: "already-bootstrapped",
      attempts: 1,
    });
  });

  it("stops at InvalidArgument with Talos's message, and explains Unimplemented", async () => {
    const invalid = await apid(() => fail(grpc.status.INVALID_ARGUMENT, "bad request"));
    await expect(bootstrapEtcd(target(invalid.address), { timeoutMs: 5_000 })).rejects.toThrow(
      /Talos refused to bootstrap etcd on .*: bad request/,
    );
    expect(invalid.seen).toHaveLength(1);
    const maintenance = await apid(() => fail(grpc.status.UNIMPLEMENTED, "maintenance mode"));
    await expect(bootstrapEtcd(target(maintenance.address), { timeoutMs: 5_000 })).rejects.toThrow(
      /maintenance mode \(no machine config applied\)/,
    );
  });

  it("gives a clear error when the timeout passes", async () => {
    const node = await apid(() => fail(grpc.status.FAILED_PRECONDITION, "not ready"));
    const started = Date.now();
    await expect(
      bootstrapEtcd(target(node.address), { timeoutMs: 1_500, retryMs: 200 }),
    ).rejects.toThrow(
      /not bootstrapped on 127\.0\.0\.1:\d+ within 2 s \(\d+ attempts\); last answer: FAILED_PRECONDITION: not ready/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe("EtcdBootstrap provider", () => {
  const inputs = (address: string) => ({
    clusterId: "cluster-a",
    ...target(address),
    timeoutSeconds: 5,
  });

  it("bootstraps on create and records the outcome and the cluster id, which is not its id", async () => {
    const node = await apid(() => null);
    const created = await etcdBootstrapProvider.create(inputs(node.address));
    // Ids are plain text in state; the cluster id is a secret.
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(created.id).not.toContain("cluster-a");
    expect(created.outs).toMatchObject({
      clusterId: "cluster-a",
      outcome: "bootstrapped",
      attempts: 1,
    });
    expect(node.seen).toHaveLength(1);
  });

  it("moves a resource whose id is its cluster id to a random one on refresh, calling nothing", async () => {
    const read = etcdBootstrapProvider.read as NonNullable<typeof etcdBootstrapProvider.read>;
    const props = { ...inputs("10.0.0.10:50000"), outcome: "bootstrapped" };
    const legacy = await read("cluster-a", props);
    expect(legacy.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(legacy.props).toEqual(props);
    expect(await read("0b6f1c1e-7d0e-4b8e-9a55-4c1f7e0d2a11", props)).toEqual({
      id: "0b6f1c1e-7d0e-4b8e-9a55-4c1f7e0d2a11",
      props,
    });
  });

  it("never calls again for the same cluster id; a new id is a new resource", async () => {
    const diff = etcdBootstrapProvider.diff as NonNullable<typeof etcdBootstrapProvider.diff>;
    const olds = { ...inputs("10.0.0.10:50000"), outcome: "bootstrapped" };
    const rotated = { ...inputs("10.0.0.10:50000"), clientCertPem: "new" };
    expect(await diff("cluster-a", olds, rotated)).toMatchObject({ changes: true, replaces: [] });
    const update = etcdBootstrapProvider.update as NonNullable<typeof etcdBootstrapProvider.update>;
    // No server listens at that address: an update that called Bootstrap would fail.
    expect((await update("cluster-a", olds, rotated)).outs).toMatchObject({
      outcome: "bootstrapped",
      clientCertPem: "new",
    });
    expect(
      await diff("cluster-a", olds, { ...inputs("10.0.0.10:50000"), clusterId: "cluster-b" }),
    ).toMatchObject({ replaces: ["clusterId"] });
  });

  it("serializes to a shim that loads the provider by package name, and runs in a fresh process", async () => {
    const node = await apid(() => null);
    const load = createRequire(import.meta.url);
    const nativePulumi = load("@pulumi/pulumi") as typeof pulumi;
    const { shim } = load("../dist/etcd-bootstrap.js") as typeof import("../src/etcd-bootstrap.js");
    const serialized = await nativePulumi.runtime.serializeFunction(() => shim);
    expect(serialized.text).toContain('"@minos/talos/providers"');
    const dir = mkdtempSync(join(__dirname, "..", ".serialized-"));
    try {
      const file = join(dir, "provider.js");
      writeFileSync(file, serialized.text);
      const provider = `require(${JSON.stringify(file)}).handler()`;
      const props = JSON.stringify(inputs(node.address));
      const script = `${provider}.create(${props}).then(async (r) => console.log(JSON.stringify([r.outs.outcome, (await ${provider}.read("cluster-a", ${props})).id !== "cluster-a"])))`;
      // Asynchronous: apid runs in this process.
      const { stdout } = await promisify(execFile)("node", ["-e", script], { encoding: "utf8" });
      expect(stdout.trim().split("\n").at(-1)).toBe('["bootstrapped",true]');
      expect(node.seen).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
