import * as grpc from "@grpc/grpc-js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { stopApids, talosPki } from "../../../test/support/apid.js";
import type { Pem, testCa } from "../../../test/support/tls.js";
import type { TalosConfigApplyInputs } from "../src/providers.js";
import { talosConfigApplyProvider } from "../src/providers.js";
import { configFleet, fail, machineConfig } from "./config-fleet.js";

type Ca = Awaited<ReturnType<typeof testCa>>;
let talosCa: Ca;
let serverPem: Pem;
let admin: Pem;

beforeAll(async () => {
  ({ ca: talosCa, server: serverPem, admin } = await talosPki());
});

afterEach(stopApids);

const provider = talosConfigApplyProvider as Required<typeof talosConfigApplyProvider>;

/** A three-group cluster: one control-plane node, a fixed pool, an autoscaled pool. */
const inputs = (
  address: string,
  version: string,
  over: Partial<TalosConfigApplyInputs> = {},
): TalosConfigApplyInputs => ({
  address,
  caPem: talosCa.cert,
  clientCertPem: admin.cert,
  clientKeyPem: admin.key,
  groups: [
    { name: "control-plane", nodes: ["10.0.1.10"] },
    { name: "worker/fixed", nodes: ["10.0.2.20", "10.0.2.21"] },
    { name: "worker/auto", nodes: [] },
  ],
  configs: {
    "control-plane": machineConfig(version),
    "worker/fixed": machineConfig(version),
    "worker/auto": machineConfig(version),
  },
  kubernetesVersion: version,
  timeoutSeconds: 10,
  ...over,
});

const fleetOf = (nodes: string[], version: string, fleetOpts?: Parameters<typeof configFleet>[2]) =>
  configFleet(
    { ca: talosCa, server: serverPem },
    Object.fromEntries(nodes.map((n) => [n, machineConfig(version)])),
    fleetOpts,
  );
const NODES = ["10.0.1.10", "10.0.2.20", "10.0.2.21"];

describe("the TalosConfigApply provider", () => {
  it("calls nothing when made: nodes boot with their config", async () => {
    const api = await fleetOf(NODES, "1.36.3");
    const made = await provider.create(inputs(api.address, "1.36.3"));
    expect(made.outs.applied).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it("a Kubernetes patch release goes to every fixed node, control plane first, one at a time", async () => {
    const api = await fleetOf(NODES, "1.36.3");
    const [olds, news] = [inputs(api.address, "1.36.3"), inputs(api.address, "1.36.5")];
    expect(await provider.diff("id", olds, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await provider.update("id", { ...olds, applied: [] } as never, news);
    expect(updated.outs?.applied.map((a: { group: string; node: string }) => a)).toEqual([
      expect.objectContaining({ group: "control-plane", node: "10.0.1.10", mode: "NO_REBOOT" }),
      expect.objectContaining({ group: "worker/fixed", node: "10.0.2.20", mode: "NO_REBOOT" }),
      expect.objectContaining({ group: "worker/fixed", node: "10.0.2.21", mode: "NO_REBOOT" }),
    ]);
    expect(api.requests.filter((r) => !r.dryRun).map((r) => r.node)).toEqual(NODES);
    for (const s of api.state.values()) expect(s.running).toBe(machineConfig("1.36.5"));
  });

  it("changes only the groups whose config changed, and waits for a node still booting", async () => {
    const api = await fleetOf(NODES, "1.36.3");
    api.state
      .get("10.0.2.21")
      ?.booting.push(
        fail(grpc.status.UNAVAILABLE, "connection refused"),
        fail(grpc.status.FAILED_PRECONDITION, "time is not in sync yet"),
      );
    const olds = inputs(api.address, "1.36.3");
    const news = inputs(api.address, "1.36.3", {
      configs: { ...olds.configs, "worker/fixed": machineConfig("1.36.3", "b") },
    });
    const updated = await provider.update("id", olds, news);
    expect(
      updated.outs?.applied.map((a: { node: string; mode: string }) => `${a.node} ${a.mode}`),
    ).toEqual(["10.0.2.20 REBOOT", "10.0.2.21 REBOOT"]);
    expect(api.requests.map((r) => r.node)).not.toContain("10.0.1.10");
    expect(api.state.get("10.0.2.21")?.running).toBe(machineConfig("1.36.3", "b"));
  });

  it("leaves a new group alone: its machines were made with its config", async () => {
    const api = await fleetOf(NODES, "1.36.3");
    const olds = inputs(api.address, "1.36.3");
    const news = inputs(api.address, "1.36.3", {
      groups: [...olds.groups, { name: "worker/gpu", nodes: ["10.0.3.30"] }],
      configs: { ...olds.configs, "worker/gpu": machineConfig("1.36.3", "gpu") },
    });
    expect(await provider.diff("id", olds, news)).toMatchObject({ changes: true, replaces: [] });
    expect((await provider.update("id", olds, news)).outs?.applied).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it("sees no change in a new serialized provider, and only records a new client certificate", async () => {
    const api = await fleetOf(NODES, "1.36.3");
    const olds = { ...inputs(api.address, "1.36.3"), __provider: "old shim" };
    const same = { ...inputs(api.address, "1.36.3"), __provider: "new shim" };
    expect(await provider.diff("id", olds, same)).toMatchObject({ changes: false, replaces: [] });
    const renewed = { ...same, clientCertPem: admin.cert.replace("\n", "\n\n") };
    expect(await provider.diff("id", olds, renewed)).toMatchObject({ changes: true, replaces: [] });
    expect((await provider.update("id", olds, renewed)).outs?.applied).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it("refuses, at preview, a Kubernetes release that goes back or skips a minor", async () => {
    const olds = inputs("x:1", "1.35.2");
    for (const to of ["1.35.1", "1.34.9"])
      await expect(provider.diff("id", olds, inputs("x:1", to))).rejects.toThrow(
        `minos: invalid kubernetesVersion: "${to}"; the cluster runs 1.35.2, and a running cluster never goes back to an older Kubernetes (etcd and the API's stored objects do not): use 1.35.2, a later 1.35 patch or a 1.36 release`,
      );
    await expect(provider.diff("id", olds, inputs("x:1", "1.37.0"))).rejects.toThrow(
      `minos: invalid kubernetesVersion: "1.37.0"; the cluster runs 1.35.2, and 1.37.0 skips 1.36: a running cluster moves one minor at a time (Kubernetes' version skew policy), so move it to a 1.36 release first`,
    );
    for (const to of ["1.35.2", "1.35.3", "1.36.0", "1.36.5"])
      await expect(provider.diff("id", olds, inputs("x:1", to))).resolves.toBeDefined();
  });
});
