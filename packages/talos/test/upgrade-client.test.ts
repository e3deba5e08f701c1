import * as grpc from "@grpc/grpc-js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  grpcError,
  machineStatusEvent,
  startApid,
  stopApids,
  talosPki,
} from "../../../test/support/apid.js";
import type { Pem, testCa } from "../../../test/support/tls.js";
import { installerImage } from "../src/images.js";
import type { TalosUpgradeInputs } from "../src/providers.js";
import { talosUpgradeProvider } from "../src/providers.js";
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
  what: "upgrade" | "back" | "rejoined" | "ready";
  image?: string;
  preserve?: boolean;
}

/**
 * How the stand-in's nodes come back: which hold etcd members and how those
 * rejoin, and how long each takes to report itself ready (its static pods,
 * the API server among them, ready) once it answers `Version` again.
 */
interface Behaviour {
  /** How long a node takes to be ready after it answers again. Default 0. */
  readyMs?: number;
  /** A node that never reports ready after its reboot: its API server does not come up. */
  neverReady?: string;
  /** Nodes with an etcd member (the control plane). */
  members?: string[];
  /** How long a member takes to rejoin after its node answers again. Default 0. */
  rejoinMs?: number;
  /** A node whose member never rejoins after its reboot. */
  neverRejoins?: string;
  /** A node whose member reports errors from the start. */
  failing?: string;
}

/**
 * A control-plane apid that forwards by `node` metadata to a fleet of
 * made-up nodes: an upgraded node is unreachable while it "reboots", then
 * answers with the release its image named. Nodes in `etcd.members` hold an
 * etcd member, which answers apid's etcd calls as Talos does and, after a
 * reboot, rejoins only `rejoinMs` after its node answers `Version` again.
 * Each node streams its machine status as machined does: not ready (its
 * API server's static pod not ready) until `readyMs` after it is back.
 */
async function fleet(nodes: Record<string, string>, rebootMs = 300, etcd?: Behaviour) {
  const state = new Map(
    Object.entries(nodes).map(([n, tag]) => [
      n,
      {
        tag,
        back: 0,
        next: tag,
        seenBack: true,
        rejoins: 0,
        rejoinLogged: true,
        readyAt: 0,
        readyLogged: true,
      },
    ]),
  );
  const memberId = (node: string) => String(1000 + Object.keys(nodes).indexOf(node));
  const events: Event[] = [];
  const target = (call: { metadata: grpc.Metadata }) => {
    const node = call.metadata.get("node")[0] as string | undefined;
    const s = node ? state.get(node) : undefined;
    if (!node || !s) throw new Error(`no node ${node}`);
    return { node, s };
  };
  /** Whether a node's member is up, logging its rejoin once. */
  const memberUp = (node: string, s: { back: number; rejoins: number; rejoinLogged: boolean }) => {
    if (Date.now() < s.back || Date.now() < s.rejoins || node === etcd?.failing) return false;
    if (!s.rejoinLogged) {
      s.rejoinLogged = true;
      events.push({ at: Date.now(), node, what: "rejoined" });
    }
    return true;
  };
  const api = await startApid(talosCa, serverPem, {
    Bootstrap: (_c: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { messages: [] }),
    Upgrade: (
      call: grpc.ServerUnaryCall<{ image: string; preserve: boolean }, unknown>,
      cb: grpc.sendUnaryData<unknown>,
    ) => {
      const { node, s } = target(call);
      if (Date.now() < s.back) return cb(unavailable(`${node} is rebooting`));
      const { image, preserve } = call.request;
      events.push({ at: Date.now(), node, what: "upgrade", image, preserve });
      s.next = (/:(v[\d.]+)$/.exec(image) ?? [])[1] ?? "?";
      s.back = Date.now() + rebootMs;
      s.seenBack = false;
      s.rejoins = node === etcd?.neverRejoins ? Number.POSITIVE_INFINITY : 0;
      s.rejoinLogged = false;
      s.readyAt = Number.POSITIVE_INFINITY;
      s.readyLogged = false;
      cb(null, { messages: [{ ack: "Upgrade request received" }] });
    },
    Version: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const { node, s } = target(call);
      if (Date.now() < s.back) return cb(unavailable(`${node} is rebooting`));
      s.tag = s.next;
      if (!s.seenBack) {
        s.seenBack = true;
        events.push({ at: Date.now(), node, what: "back" });
        if (s.rejoins === 0) s.rejoins = Date.now() + (etcd?.rejoinMs ?? 0);
        if (node !== etcd?.neverReady) s.readyAt = Date.now() + (etcd?.readyMs ?? 0);
      }
      cb(null, { messages: [{ version: { tag: s.tag } }] });
    },
    EtcdStatus: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const { node, s } = target(call);
      if (!etcd?.members?.includes(node))
        return cb(
          grpcError(
            grpc.status.FAILED_PRECONDITION,
            "etcd status is only available on control plane nodes",
          ),
        );
      if (Date.now() < s.back) return cb(unavailable(`${node} is rebooting`));
      if (node === etcd.failing)
        return cb(null, {
          messages: [
            { memberStatus: { memberId: memberId(node), leader: "1000", errors: ["NOSPACE"] } },
          ],
        });
      if (!memberUp(node, s))
        return cb(
          grpcError(grpc.status.UNKNOWN, "failed to query etcd status: context deadline exceeded"),
        );
      cb(null, { messages: [{ memberStatus: { memberId: memberId(node), leader: "1000" } }] });
    },
    EtcdMemberList: (
      call: grpc.ServerUnaryCall<unknown, unknown>,
      cb: grpc.sendUnaryData<unknown>,
    ) => {
      const { node, s } = target(call);
      if (Date.now() < s.back) return cb(unavailable(`${node} is rebooting`));
      const members = (etcd?.members ?? []).map((m) => ({
        id: memberId(m),
        hostname: `talos-${m}`,
      }));
      cb(null, { messages: [{ members }] });
    },
    EtcdAlarmList: (_call: unknown, cb: grpc.sendUnaryData<unknown>) =>
      cb(null, { messages: [{ memberAlarms: [] }] }),
    Events: (call: grpc.ServerWritableStream<{ tailEvents: number }, unknown>) => {
      const { node, s } = target(call);
      if (Date.now() < s.back) return call.emit("error", unavailable(`${node} is rebooting`));
      call.write({}); // machined's hello
      let timer: NodeJS.Timeout | undefined;
      const send = () => {
        if (call.cancelled) return;
        if (Date.now() >= s.readyAt) {
          if (!s.readyLogged) {
            s.readyLogged = true;
            events.push({ at: Date.now(), node, what: "ready" });
          }
          call.write(machineStatusEvent("RUNNING", true));
          return;
        }
        call.write(
          machineStatusEvent("RUNNING", false, [
            { name: "staticPods", reason: `kube-system/kube-apiserver-talos-${node} not ready` },
          ]),
        );
        if (Number.isFinite(s.readyAt)) timer = setTimeout(send, s.readyAt - Date.now());
      };
      send();
      call.on("cancelled", () => clearTimeout(timer));
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
    // Strictly in turn: upgrade, back, ready, then the next, in the order given.
    expect(api.events.map((e) => `${e.what} ${e.node}`)).toEqual([
      "upgrade 10.0.1.10",
      "back 10.0.1.10",
      "ready 10.0.1.10",
      "upgrade 10.0.1.11",
      "back 10.0.1.11",
      "ready 10.0.1.11",
      "upgrade 10.0.1.12",
      "back 10.0.1.12",
      "ready 10.0.1.12",
      "upgrade 10.0.2.20",
      "back 10.0.2.20",
      "ready 10.0.2.20",
    ]);
    expect(new Set(api.events.filter((e) => e.image).map((e) => e.image))).toEqual(
      new Set([IMAGE]),
    );
  });

  it("asks without preserve, as talosctl does, so Talos runs its own etcd checks too", async () => {
    const api = await fleet({ a: "v1.13.3" }, 50);
    await upgradeNodes({ address: api.address, ...credentials() }, ["a"], IMAGE, "1.13.9", {
      timeoutMs: 10_000,
      pollMs: 50,
    });
    expect(api.events.filter((e) => e.what === "upgrade").map((e) => e.preserve)).toEqual([false]);
  });

  it("waits for a control-plane node's etcd member to rejoin before the next node goes", async () => {
    const cp = ["10.0.1.10", "10.0.1.11", "10.0.1.12"];
    const api = await fleet(
      Object.fromEntries([...cp, "10.0.2.20"].map((n) => [n, "v1.13.3"])),
      200,
      { members: cp, rejoinMs: 600 },
    );
    await upgradeNodes(
      { address: api.address, ...credentials() },
      [...cp, "10.0.2.20"],
      IMAGE,
      "1.13.9",
      { timeoutMs: 10_000, pollMs: 50, controlPlane: cp },
    );
    // Each control-plane node answers Version, then rejoins etcd, and only then does the next go.
    expect(api.events.map((e) => `${e.what} ${e.node}`)).toEqual([
      "upgrade 10.0.1.10",
      "back 10.0.1.10",
      "rejoined 10.0.1.10",
      "ready 10.0.1.10",
      "upgrade 10.0.1.11",
      "back 10.0.1.11",
      "rejoined 10.0.1.11",
      "ready 10.0.1.11",
      "upgrade 10.0.1.12",
      "back 10.0.1.12",
      "rejoined 10.0.1.12",
      "ready 10.0.1.12",
      "upgrade 10.0.2.20",
      "back 10.0.2.20",
      "ready 10.0.2.20",
    ]);
    const at = (what: string) => api.events.find((e) => `${e.what} ${e.node}` === what)?.at ?? 0;
    expect(at("upgrade 10.0.1.11") - at("back 10.0.1.10")).toBeGreaterThanOrEqual(550);
  });

  it("stops the roll, naming node and member, when a member stays away after its reboot", async () => {
    const cp = ["a", "b", "c"];
    const api = await fleet({ a: "v1.13.3", b: "v1.13.3", c: "v1.13.3" }, 100, {
      members: cp,
      neverRejoins: "b",
    });
    const logs: string[] = [];
    await expect(
      upgradeNodes({ address: api.address, ...credentials() }, cp, IMAGE, "1.13.9", {
        timeoutMs: 1500,
        pollMs: 50,
        controlPlane: cp,
        log: (l) => logs.push(l),
      }),
    ).rejects.toThrow(
      /stopped the Talos upgrade after b came back on v1\.13\.9: etcd on b does not answer its status \(UNKNOWN\).*Upgraded so far: a\./,
    );
    // c keeps its member: quorum (a and c) holds.
    expect(api.events.filter((e) => e.what === "upgrade").map((e) => e.node)).toEqual(["a", "b"]);
    expect(logs).toContain(
      "waiting for etcd: etcd on b does not answer its status (UNKNOWN): failed to query etcd status: context deadline exceeded",
    );
  });

  it("waits for a node's API server to serve (Talos reports the machine ready) before the next goes", async () => {
    const cp = ["a", "b", "c"];
    const api = await fleet({ a: "v1.13.3", b: "v1.13.3", c: "v1.13.3" }, 100, {
      members: cp,
      readyMs: 600,
    });
    const logs: string[] = [];
    await upgradeNodes({ address: api.address, ...credentials() }, cp, IMAGE, "1.13.9", {
      timeoutMs: 10_000,
      pollMs: 50,
      controlPlane: cp,
      log: (l) => logs.push(l),
    });
    const at = (what: string) => api.events.find((e) => `${e.what} ${e.node}` === what)?.at ?? 0;
    // etcd is back at once; the API server only 600 ms later, and b waits for it.
    expect(at("rejoined a") - at("back a")).toBeLessThan(300);
    expect(at("upgrade b") - at("back a")).toBeGreaterThanOrEqual(550);
    expect(at("upgrade b")).toBeGreaterThanOrEqual(at("ready a"));
    expect(logs).toContain(
      "waiting for a to be ready: stage RUNNING, not ready (staticPods: kube-system/kube-apiserver-talos-a not ready)",
    );
  });

  it("stops the roll, naming the node and what it lacks, when its API server does not come back", async () => {
    const cp = ["a", "b", "c"];
    const api = await fleet({ a: "v1.13.3", b: "v1.13.3", c: "v1.13.3" }, 100, {
      members: cp,
      neverReady: "a",
    });
    await expect(
      upgradeNodes({ address: api.address, ...credentials() }, cp, IMAGE, "1.13.9", {
        timeoutMs: 1500,
        pollMs: 50,
        controlPlane: cp,
      }),
    ).rejects.toThrow(
      /stopped the Talos upgrade after a came back on v1\.13\.9: a is not ready: stage RUNNING, not ready \(staticPods: kube-system\/kube-apiserver-talos-a not ready\)\. Upgraded so far: none\./,
    );
    expect(api.events.filter((e) => e.what === "upgrade").map((e) => e.node)).toEqual(["a"]);
  });

  it("touches no node while a member already reports errors", async () => {
    const cp = ["a", "b", "c"];
    const api = await fleet({ a: "v1.13.3", b: "v1.13.3", c: "v1.13.3" }, 100, {
      members: cp,
      failing: "c",
    });
    await expect(
      upgradeNodes({ address: api.address, ...credentials() }, cp, IMAGE, "1.13.9", {
        timeoutMs: 800,
        pollMs: 50,
        controlPlane: cp,
      }),
    ).rejects.toThrow(
      /stopped the Talos upgrade before a: etcd member 1002 on c reports: NOSPACE\. Upgraded so far: none\./,
    );
    expect(api.events).toEqual([]);
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
