import * as grpc from "@grpc/grpc-js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { grpcError, startApid, stopApids, talosPki } from "../../../test/support/apid.js";
import type { Pem, testCa } from "../../../test/support/tls.js";
import { installerImage } from "../src/images.js";
import { type TalosUpgradeInputs, talosUpgradeProvider } from "../src/providers.js";
import { upgradeNodes } from "../src/upgrade-client.js";

type Ca = Awaited<ReturnType<typeof testCa>>;
let talosCa: Ca;
let serverPem: Pem;
let admin: Pem;

beforeAll(async () => {
  ({ ca: talosCa, server: serverPem, admin } = await talosPki());
});

afterEach(stopApids);

const unavailable = (details: string) => grpcError(grpc.status.UNAVAILABLE, details);

interface Event {
  at: number;
  node: string;
  what: "upgrade" | "back";
  image?: string;
}

/**
 * A control-plane apid that forwards by `node` metadata to a fleet of
 * made-up nodes: an upgraded node is unreachable while it "reboots", then
 * answers with the release its image named.
 */
async function fleet(nodes: Record<string, string>, rebootMs = 300) {
  const state = new Map(
    Object.entries(nodes).map(([n, tag]) => [n, { tag, back: 0, next: tag, seenBack: true }]),
  );
  const events: Event[] = [];
  const target = (call: grpc.ServerUnaryCall<unknown, unknown>) => {
    const node = call.metadata.get("node")[0] as string | undefined;
    const s = node ? state.get(node) : undefined;
    if (!node || !s) throw new Error(`no node ${node}`);
    return { node, s };
  };
  const api = await startApid(talosCa, serverPem, {
    Bootstrap: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { messages: [] }),
    Upgrade: (
      call: grpc.ServerUnaryCall<{ image: string }, unknown>,
      cb: grpc.sendUnaryData<unknown>,
    ) => {
      const { node, s } = target(call);
      if (Date.now() < s.back) return cb(unavailable(`${node} is rebooting`));
      events.push({ at: Date.now(), node, what: "upgrade", image: call.request.image });
      s.next = (/:(v[\d.]+)$/.exec(call.request.image) ?? [])[1] ?? "?";
      s.back = Date.now() + rebootMs;
      s.seenBack = false;
      cb(null, { messages: [{ ack: "Upgrade request received" }] });
    },
    Version: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const { node, s } = target(call);
      if (Date.now() < s.back) return cb(unavailable(`${node} is rebooting`));
      s.tag = s.next;
      if (!s.seenBack) {
        s.seenBack = true;
        events.push({ at: Date.now(), node, what: "back" });
      }
      cb(null, { messages: [{ version: { tag: s.tag } }] });
    },
  });
  return { address: api.address, events, state };
}

const credentials = () => ({
  caPem: talosCa.cert,
  clientCertPem: admin.cert,
  clientKeyPem: admin.key,
});
const IMAGE = installerImage("aws", {
  schematic: "s".repeat(64),
  talosVersion: "1.13.9",
  gcpBucketLocation: "US",
});

describe("Talos upgrades over the machine API", () => {
  it("names the factory's platform installer for the schematic and release", () => {
    expect(IMAGE).toBe(`factory.talos.dev/aws-installer/${"s".repeat(64)}:v1.13.9`);
    expect(
      installerImage("kvm", {
        schematic: "a".repeat(64),
        talosVersion: "1.13.9",
        gcpBucketLocation: "US",
      }),
    ).toBe(`factory.talos.dev/nocloud-installer/${"a".repeat(64)}:v1.13.9`);
  });

  it("upgrades one node at a time, each back on the new release before the next goes", async () => {
    const api = await fleet({
      "10.0.1.10": "v1.13.3",
      "10.0.1.11": "v1.13.3",
      "10.0.1.12": "v1.13.3",
      "10.0.2.20": "v1.13.3",
    });
    const done = await upgradeNodes(
      { address: api.address, ...credentials() },
      ["10.0.1.10", "10.0.1.11", "10.0.1.12", "10.0.2.20"],
      IMAGE,
      "1.13.9",
      { timeoutMs: 10_000, pollMs: 50 },
    );
    expect(done.map((d) => [d.node, d.from, d.to])).toEqual([
      ["10.0.1.10", "v1.13.3", "v1.13.9"],
      ["10.0.1.11", "v1.13.3", "v1.13.9"],
      ["10.0.1.12", "v1.13.3", "v1.13.9"],
      ["10.0.2.20", "v1.13.3", "v1.13.9"],
    ]);
    // Strictly alternating: upgrade, back, upgrade, back ... in the order given.
    expect(api.events.map((e) => `${e.what} ${e.node}`)).toEqual([
      "upgrade 10.0.1.10",
      "back 10.0.1.10",
      "upgrade 10.0.1.11",
      "back 10.0.1.11",
      "upgrade 10.0.1.12",
      "back 10.0.1.12",
      "upgrade 10.0.2.20",
      "back 10.0.2.20",
    ]);
    expect(new Set(api.events.filter((e) => e.image).map((e) => e.image))).toEqual(
      new Set([IMAGE]),
    );
  });

  it("skips nodes already on the release, so a run that stopped halfway goes on", async () => {
    const api = await fleet({ a: "v1.13.9", b: "v1.13.3" });
    const done = await upgradeNodes(
      { address: api.address, ...credentials() },
      ["a", "b"],
      IMAGE,
      "1.13.9",
      {
        timeoutMs: 10_000,
        pollMs: 50,
      },
    );
    expect(done.map((d) => d.node)).toEqual(["b"]);
    expect(api.events.filter((e) => e.what === "upgrade").map((e) => e.node)).toEqual(["b"]);
  });

  it("stops, leaving the rest alone, when a node does not come back upgraded", async () => {
    const api = await fleet({ a: "v1.13.3", b: "v1.13.3" }, 60_000);
    await expect(
      upgradeNodes({ address: api.address, ...credentials() }, ["a", "b"], IMAGE, "1.13.9", {
        timeoutMs: 1500,
        pollMs: 100,
      }),
    ).rejects.toThrow(
      /a did not come back upgraded in time; last answer: UNAVAILABLE: a is rebooting/,
    );
    expect(api.events.filter((e) => e.what === "upgrade").map((e) => e.node)).toEqual(["a"]);
  });
});

describe("the TalosUpgrade provider", () => {
  const inputs = (address: string, over: Partial<TalosUpgradeInputs> = {}): TalosUpgradeInputs => ({
    address,
    ...credentials(),
    nodes: ["a", "b"],
    talosVersion: "1.13.3",
    image: IMAGE.replace("v1.13.9", "v1.13.3"),
    timeoutSeconds: 10,
    ...over,
  });

  it("calls nothing when made: nodes boot the release they were made with", async () => {
    const api = await fleet({ a: "v1.13.3", b: "v1.13.3" });
    const made = await talosUpgradeProvider.create?.(inputs(api.address));
    expect(made?.outs.upgraded).toEqual([]);
    expect(api.events).toEqual([]);
  });

  it("sees no change in a new serialized provider or the same release", async () => {
    const old = { ...inputs("x:1"), __provider: "old shim" };
    const diff = await talosUpgradeProvider.diff?.("id", old, {
      ...inputs("x:1"),
      __provider: "new shim",
    });
    expect(diff).toMatchObject({ changes: false, replaces: [] });
  });

  it("upgrades in place, never replacing, when the release changes", async () => {
    const api = await fleet({ a: "v1.13.3", b: "v1.13.3" }, 100);
    const next = inputs(api.address, { talosVersion: "1.13.9", image: IMAGE });
    const diff = await talosUpgradeProvider.diff?.("id", inputs(api.address), next);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const updated = await talosUpgradeProvider.update?.("id", inputs(api.address), next);
    const upgraded = (updated?.outs?.upgraded ?? []) as { node: string }[];
    expect(upgraded.map((u) => u.node)).toEqual(["a", "b"]);
    expect([...api.state.values()].map((s) => s.tag)).toEqual(["v1.13.9", "v1.13.9"]);
  });
});
