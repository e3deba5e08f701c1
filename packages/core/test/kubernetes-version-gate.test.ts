import { createRequire } from "node:module";
import { dirname } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { hostCall } from "../../../test/support/dynamic-host.js";
import { apiServerFixture, closeServer } from "../../../test/support/mtls-server.js";
import { kubernetesVersionGateProvider as gate } from "../src/index.js";

const stand = apiServerFixture();

/** One control-plane node's kube-apiserver: the release its image carries, and whether it is Ready. */
interface ApiServer {
  node: string;
  version: string;
  ready?: boolean;
}

/**
 * A mirror pod as the kubelet registers kubeadm's static kube-apiserver
 * pod (kubeadm's manifest labels it `component: kube-apiserver`, `tier:
 * control-plane`; Talos's carries the same two).
 */
const mirrorPod = (s: ApiServer) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: `kube-apiserver-${s.node}`,
    namespace: "kube-system",
    labels: { component: "kube-apiserver", tier: "control-plane" },
  },
  spec: {
    nodeName: s.node,
    containers: [{ name: "kube-apiserver", image: `registry.k8s.io/kube-apiserver:v${s.version}` }],
  },
  status: {
    phase: "Running",
    conditions: [
      { type: "Initialized", status: "True" },
      { type: "Ready", status: s.ready === false ? "False" : "True" },
    ],
  },
});

const SELECTOR = "labelSelector=component%3Dkube-apiserver%2Ctier%3Dcontrol-plane";

/**
 * An API-server stand-in with mutual TLS: `/version` answers what the load
 * balancer's pick of kube-apiserver would (`version`), and the pods call
 * lists each node's kube-apiserver. `after(n, change)` changes the cluster
 * once n requests were answered, as an upgrade in progress would.
 */
async function controlPlane(version: string, servers: ApiServer[]) {
  const state = { version, servers };
  const changes: { at: number; change: () => void }[] = [];
  const api = await stand.serve((req, res, seen) => {
    for (const c of changes.filter((c) => c.at <= seen.length)) {
      c.change();
      changes.splice(changes.indexOf(c), 1);
    }
    const json = (body: unknown) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/version")
      return json({
        major: "1",
        minor: state.version.split(".")[1],
        gitVersion: `v${state.version}`,
      });
    if (req.url === `/api/v1/namespaces/kube-system/pods?${SELECTOR}`)
      return json({ kind: "PodList", apiVersion: "v1", items: state.servers.map(mirrorPod) });
    res.writeHead(404).end();
  });
  const { seen } = api;
  return {
    server: api.server,
    endpoint: api.endpoint,
    state,
    seen,
    after: (requests: number, change: () => void) => changes.push({ at: requests, change }),
  };
}

const HINT =
  'On each control-plane node in turn, do the thing, then run "kubeadm upgrade apply v1.37.1"';

/** A gate's inputs, as a cluster makes them. */
function inputs(endpoint: string, version: string, schedule = { timeoutSeconds: 5 }) {
  return {
    ...stand.as(endpoint),
    version,
    upgradeHint: HINT,
    intervalSeconds: 0.05,
    ...schedule,
  };
}

type Provider = Required<pulumi.dynamic.ResourceProvider>;
const provider = gate as Provider;
const three = (version: string): ApiServer[] =>
  ["cp-0", "cp-1", "cp-2"].map((node) => ({ node, version }));

describe("the Kubernetes version gate's check, at preview", () => {
  it.each([
    ["1.36.3", "1.36.3"],
    ["1.36.3", "1.36.5"],
    ["1.36.3", "1.37.0"],
  ])("takes %s -> %s", async (from, to) => {
    const news = inputs("https://api.test:6443", to);
    const checked = await provider.check(inputs("https://api.test:6443", from), news);
    expect(checked).toEqual({ inputs: news, failures: [] });
  });

  it.each([
    ["1.36.3", "1.38.0", "the cluster runs 1.36.3, and 1.38.0 skips 1.37"],
    ["1.36.3", "1.36.2", "the cluster runs 1.36.3, and a running cluster never goes back"],
    ["1.36.3", "1.35.9", "the cluster runs 1.36.3, and a running cluster never goes back"],
  ])("refuses %s -> %s, naming kubernetesVersion", async (from, to, why) => {
    const checked = await provider.check(
      inputs("https://api.test:6443", from),
      inputs("https://api.test:6443", to),
    );
    expect(checked.failures).toEqual([
      {
        property: "version",
        reason: expect.stringContaining(`minos: invalid kubernetesVersion: "${to}"; ${why}`),
      },
    ]);
  });

  it("takes any release for a gate not made yet", async () => {
    expect((await provider.check({}, inputs("https://api.test:6443", "1.37.1"))).failures).toEqual(
      [],
    );
  });
});

describe("the Kubernetes version gate's diff", () => {
  it("sees no change in a new serialized provider; a new release or certificate is an update, never a replacement", async () => {
    const olds = {
      ...inputs("https://api.test:6443", "1.36.3"),
      reported: "v1.36.3",
      __provider: "old",
    };
    const same = { ...inputs("https://api.test:6443", "1.36.3"), __provider: "new" };
    expect(await provider.diff("id", olds, same)).toMatchObject({ changes: false, replaces: [] });
    for (const change of [{ version: "1.37.0" }, { clientCertPem: "renewed" }])
      expect(await provider.diff("id", olds, { ...same, ...change })).toMatchObject({
        changes: true,
        replaces: [],
      });
    expect(await provider.diff("id", olds, { ...same, upgradeHint: "new words" })).toMatchObject({
      changes: false,
    });
  });
});

describe("the Kubernetes version gate's update", () => {
  it("takes a patch once /version and every kube-apiserver report it", async () => {
    const api = await controlPlane("1.36.3", three("1.36.3"));
    api.after(4, () => {
      api.state.version = "1.36.5";
      api.state.servers = three("1.36.5");
    });
    const done = await provider.update(
      "id",
      inputs(api.endpoint, "1.36.3"),
      inputs(api.endpoint, "1.36.5"),
    );
    expect(done.outs).toMatchObject({ version: "1.36.5", reported: "v1.36.5" });
    expect(done.outs.waitedSeconds).toBeGreaterThan(0);
    expect(new Set(api.seen.map((s) => s.client))).toEqual(new Set(["minos-admin"]));
  });

  it("takes the next minor only once the last kube-apiserver runs it and is Ready, whatever /version says", async () => {
    const api = await controlPlane("1.37.1", [
      { node: "cp-0", version: "1.37.1" },
      { node: "cp-1", version: "1.36.3" },
      { node: "cp-2", version: "1.36.3" },
    ]);
    const timeline: string[] = [];
    api.after(6, () => {
      api.state.servers = [
        ...three("1.37.1").slice(0, 2),
        { node: "cp-2", version: "1.37.1", ready: false },
      ];
    });
    api.after(12, () => {
      api.state.servers = three("1.37.1");
    });
    const { log } = require("@pulumi/pulumi") as typeof pulumi;
    const info = log.info;
    log.info = async (line: string) => {
      timeline.push(line);
    };
    try {
      const done = await provider.update(
        "id",
        inputs(api.endpoint, "1.36.3"),
        inputs(api.endpoint, "1.37.1"),
      );
      expect(done.outs).toMatchObject({ version: "1.37.1", reported: "v1.37.1" });
    } finally {
      log.info = info;
    }
    // Attempt 1 saw /version at 1.37.1 already, 3 to 5 one node not Ready: done at 6.
    expect(api.seen.filter((s) => s.path.includes(SELECTOR)).length).toBe(6);
    expect(timeline[0]).toContain(
      "waiting for the control plane to run Kubernetes 1.37.1: attempt 1",
    );
    expect(timeline[0]).toContain(
      "kube-apiserver at 1.37.1 or later and Ready on 1 of 3 nodes (not yet: kube-apiserver-cp-1 v1.36.3, kube-apiserver-cp-2 v1.36.3)",
    );
    expect(timeline[0]).toContain(HINT);
  });

  it("gives up with what it saw, what moves the control plane, and where the README says more", async () => {
    const api = await controlPlane("1.36.3", three("1.36.3"));
    const update = provider.update(
      "id",
      inputs(api.endpoint, "1.36.3"),
      inputs(api.endpoint, "1.37.1", { timeoutSeconds: 0.3 }),
    );
    await expect(update).rejects.toThrow(
      new RegExp(
        `^minos: the control plane at ${api.endpoint.replaceAll(".", "\\.")} does not run Kubernetes 1\\.37\\.1 after [\\d.]+ s \\(\\d+ attempts\\); last seen: /version v1\\.36\\.3; kube-apiserver at 1\\.37\\.1 or later and Ready on 0 of 3 nodes`,
      ),
    );
    await expect(update).rejects.toThrow(
      `${HINT}. Then run pulumi up again: worker pools take 1.37.1 only once the control plane runs it (see "Upgrading" in the minos README).`,
    );
  });

  it("refuses a skip or a downgrade even past its check, without asking the cluster", async () => {
    const api = await controlPlane("1.36.3", three("1.36.3"));
    for (const to of ["1.38.0", "1.35.1"])
      await expect(
        provider.update("id", inputs(api.endpoint, "1.36.3"), inputs(api.endpoint, to)),
      ).rejects.toThrow(`minos: invalid kubernetesVersion: "${to}"; the cluster runs 1.36.3`);
    expect(api.seen).toEqual([]);
  });

  it("only records a renewed certificate or a new timeout: no wait, no request", async () => {
    const api = await controlPlane("1.36.3", three("1.36.3"));
    const olds = { ...inputs(api.endpoint, "1.36.3"), reported: "v1.36.3", waitedSeconds: 42 };
    const done = await provider.update("id", olds, {
      ...inputs(api.endpoint, "1.36.3", { timeoutSeconds: 60 }),
      clientCertPem: "renewed",
    });
    expect(done.outs).toMatchObject({
      clientCertPem: "renewed",
      reported: "v1.36.3",
      waitedSeconds: 42,
    });
    expect(api.seen).toEqual([]);
  });
});

describe("the Kubernetes version gate's create", () => {
  it("records a new cluster's release at once: its API does not answer yet", async () => {
    const api = await controlPlane("1.36.3", []);
    const endpoint = api.endpoint;
    await closeServer(api.server);
    const started = Date.now();
    const created = await provider.create(inputs(endpoint, "1.37.1"));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(created).toMatchObject({
      id: "kubernetes-version",
      outs: { version: "1.37.1", waitedSeconds: 0 },
    });
    expect(created.outs.reported).toBeUndefined();
  });

  it("adopts a running cluster as a change would: at its release, the next minor once it runs, never a skip", async () => {
    const api = await controlPlane("1.36.3", three("1.36.3"));
    expect((await provider.create(inputs(api.endpoint, "1.36.3"))).outs).toMatchObject({
      version: "1.36.3",
      reported: "v1.36.3",
    });
    await expect(provider.create(inputs(api.endpoint, "1.38.0"))).rejects.toThrow(
      'minos: invalid kubernetesVersion: "1.38.0"; the cluster runs 1.36.3, and 1.38.0 skips 1.37',
    );
    await expect(
      provider.create(inputs(api.endpoint, "1.37.1", { timeoutSeconds: 0.3 })),
    ).rejects.toThrow(/does not run Kubernetes 1\.37\.1/);
  });
});

describe("the Kubernetes version gate, serialized", () => {
  it("loads and checks in a process of its own, from a folder with no packages", async () => {
    // Node's own require: vitest's transformed modules are not what users run.
    const load = createRequire(import.meta.url);
    const built = load("../dist/readiness/kubernetes-version-gate.js") as {
      kubernetesVersionGateProvider: object;
    };
    const nativePulumi = load("@pulumi/pulumi") as typeof pulumi;
    const serialized = await nativePulumi.runtime.serializeFunction(
      () => built.kubernetesVersionGateProvider,
    );
    expect(serialized.text).not.toMatch(/require\("(\.|@minos)/);
    const pulumiDir = dirname(load.resolve("@pulumi/pulumi/package.json"));
    const answer = await hostCall(serialized.text, {
      cwd: "/",
      pulumiDir,
      method: "check",
      args: [inputs("https://api.test:6443", "1.36.3"), inputs("https://api.test:6443", "1.38.0")],
    });
    expect(answer).toEqual({
      result: {
        inputs: expect.objectContaining({ version: "1.38.0" }),
        failures: [
          {
            property: "version",
            reason: expect.stringMatching(
              /^minos: invalid kubernetesVersion: "1\.38\.0"; the cluster runs 1\.36\.3, and 1\.38\.0 skips 1\.37/,
            ),
          },
        ],
      },
    });
    const diff = await hostCall(serialized.text, {
      cwd: "/",
      pulumiDir,
      method: "diff",
      args: [
        "id",
        inputs("https://api.test:6443", "1.36.3"),
        inputs("https://api.test:6443", "1.37.0"),
      ],
    });
    expect(diff).toEqual({ result: { changes: true, replaces: [], deleteBeforeReplace: false } });
  });
});
