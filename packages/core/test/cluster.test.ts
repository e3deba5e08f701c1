import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { fakePlatform } from "../../../test/support/fake-platform.js";
import { tokenSecret } from "../../../test/support/pool-tokens.js";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import {
  holdResources,
  installMocks,
  releaseHeld,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import type {
  BootstrapContext,
  ClusterArgs,
  ClusterRequest,
  NodeOs,
  NodeRole,
} from "../src/index.js";
import { Cluster, MinosError, NodeGroup } from "../src/index.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
});

/** A NodeOs that renders its context as JSON, so tests can read what it was given. */
const recordingOs: NodeOs = {
  name: "recording",
  platforms: ["kvm", "aws"],
  image: (platform) => ({
    platform: "kvm",
    kind: "disk-image",
    url: `https://img.test/${platform}`,
    digest: { algorithm: "sha256", value: "00" },
    format: "qcow2",
    compression: "none",
  }),
  delivery: () => ({ kind: "fw_cfg", key: "opt/test/config" }),
  render: (role: NodeRole, ctx: BootstrapContext) => ({
    payload: JSON.stringify({ role, ctx }),
    format: "ignition",
  }),
};

function cluster(name: string, args: Partial<ClusterArgs> = {}) {
  const { platform, requests } = fakePlatform();
  const c = new Cluster("minos:test:Cluster", name, recordingOs, {
    platform,
    controlPlane: { count: 3 },
    nodePools: {
      general: { count: 2, labels: { "example.com/pool": "general" } },
      big: { count: 1, machineType: "8cpu" },
    },
    ...args,
  });
  return { c, requests };
}

describe("Cluster", () => {
  it("asks the platform for the init node, the joining control plane and each pool", async () => {
    const { requests } = cluster("order");
    expect(requests.map((r) => [r.name, r.role, r.count, r.firstIndex, r.machineType])).toEqual([
      ["order-control-plane", "control-plane", 1, 0, undefined],
      ["order-control-plane-join", "control-plane-join", 2, 1, undefined],
      ["order-worker-big", "worker", 1, 0, "8cpu"],
      ["order-worker-general", "worker", 2, 0, undefined],
    ]);
    expect(requests.every((r) => r.delivery.kind === "fw_cfg" && r.image.platform === "kvm")).toBe(
      true,
    );
  });

  it("gives control-plane roles the CA keys and workers only join material", async () => {
    const { c } = cluster("roles");
    const configs = await resolved(c.nodeConfigs);
    expect(Object.keys(configs).sort()).toEqual([
      "control-plane",
      "control-plane-join",
      "worker/big",
      "worker/general",
    ]);
    const ctxOf = (key: string) => JSON.parse(configs[key] ?? "").ctx as BootstrapContext;
    expect(ctxOf("control-plane").controlPlane?.ca.keyPem).toContain("PRIVATE KEY");
    expect(ctxOf("control-plane-join").controlPlane?.etcdCa.keyPem).toContain("PRIVATE KEY");
    expect(ctxOf("worker/general").controlPlane).toBeUndefined();
    expect(configs["worker/general"]).not.toContain("PRIVATE KEY");
    const worker = ctxOf("worker/general");
    expect(worker.join.bootstrapToken).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(worker.join.caCertHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(worker.endpoint).toEqual({ host: "roles.api.example.test", port: 6443 });
    expect(worker.node.labels).toEqual({ "example.com/pool": "general" });
    expect(worker.node.taints).toEqual([]);
    expect(ctxOf("control-plane").node.taints).toEqual([
      { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
    ]);
    expect(ctxOf("control-plane").certSans).toEqual(["203.0.113.10"]);
  });

  it("marks every output that embeds a key or token as secret", async () => {
    const { c, requests } = cluster("secret");
    expect(await pulumi.isSecret(c.kubeconfig)).toBe(true);
    expect(await pulumi.isSecret(c.join)).toBe(true);
    expect(await pulumi.isSecret(c.nodeConfigs)).toBe(true);
    for (const r of requests) expect(await pulumi.isSecret(r.payload)).toBe(true);
    expect(await pulumi.isSecret(c.endpoint)).toBe(false);
  });

  it("keeps random token results secret in state", () => {
    const tokens = registered.filter(
      (r) => r.type === "random:index/randomString:RandomString" && r.name.startsWith("secret-"),
    );
    // The control plane's token, then each pool's, which a new generation replaces.
    const rows = tokens.map((t) => [t.name, t.inputs.length, t.inputs.keepers]);
    expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ["secret-secrets-bootstrap-token-id", 6, undefined],
      ["secret-secrets-bootstrap-token-secret", 16, undefined],
      ["secret-worker-big-token-id", 6, { generation: "0" }],
      ["secret-worker-big-token-secret", 16, { generation: "0" }],
      ["secret-worker-general-token-id", 6, { generation: "0" }],
      ["secret-worker-general-token-secret", 16, { generation: "0" }],
    ]);
  });

  it("makes ECDSA P-256 CAs for cluster, front proxy and etcd, and a system:masters admin", () => {
    const certs = registered.filter(
      (r) => r.type === "tls:index/selfSignedCert:SelfSignedCert" && r.name.startsWith("roles-"),
    );
    expect(certs.map((c) => (c.inputs.subject as { commonName: string }).commonName)).toEqual([
      "kubernetes",
      "front-proxy-ca",
      "etcd-ca",
    ]);
    expect(certs.every((c) => c.inputs.isCaCertificate === true)).toBe(true);
    const keys = registered.filter(
      (r) => r.type === "tls:index/privateKey:PrivateKey" && r.name.startsWith("roles-"),
    );
    expect(
      keys.every((k) => k.inputs.algorithm === "ECDSA" && k.inputs.ecdsaCurve === "P256"),
    ).toBe(true);
    const csr = registered.find(
      (r) => r.type === "tls:index/certRequest:CertRequest" && r.name === "roles-secrets-admin",
    );
    expect(csr?.inputs.subject).toEqual({
      commonName: "minos-admin",
      organization: "system:masters",
    });
  });

  it("renders the kubeconfig against the endpoint", async () => {
    const { c } = cluster("kcfg");
    expect(await resolved(c.endpoint)).toBe("https://kcfg.api.example.test:6443");
    expect(await resolved(c.kubeconfig)).toContain("server: https://kcfg.api.example.test:6443");
  });

  it("renders identical payloads from identical inputs", async () => {
    const { c } = cluster("same");
    const a = await resolved(c.nodeConfigs);
    const b = await resolved(c.nodeConfigs);
    expect(a).toEqual(b);
  });

  it("makes no control-plane-join group for a single control-plane node", () => {
    const { requests } = cluster("single", { controlPlane: { count: 1 }, nodePools: {} });
    expect(requests.map((r) => r.role)).toEqual(["control-plane"]);
  });
});

describe("Cluster pool tokens", () => {
  const contexts = async (c: Cluster) => {
    const configs = await resolved(c.nodeConfigs);
    return Object.fromEntries(
      Object.entries(configs).map(([k, v]) => [
        k,
        (JSON.parse(v) as { ctx: BootstrapContext }).ctx,
      ]),
    );
  };
  const secrets = (prefix: string) =>
    registered.filter((r) => r.type === "kubernetes:core/v1:Secret" && r.name.startsWith(prefix));
  const settle = () => new Promise((r) => setTimeout(r, 100));

  it("gives each pool a token of its own, and the control plane the cluster's", async () => {
    const { c } = cluster("own");
    const ctx = await contexts(c);
    const token = (key: string) => ctx[key]?.join.bootstrapToken as string;
    for (const key of Object.keys(ctx)) expect(token(key)).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(token("control-plane-join")).toBe(token("control-plane"));
    expect(
      new Set([token("control-plane"), token("worker/big"), token("worker/general")]).size,
    ).toBe(3);
    // A payload carries its own token and no other.
    const configs = await resolved(c.nodeConfigs);
    for (const [key, payload] of Object.entries(configs))
      for (const other of Object.keys(configs).filter((k) => token(k) !== token(key)))
        expect(payload, `${key} holds ${other}'s token`).not.toContain(token(other));
    // Each token's Secret, made once the API answers, is what the pool's payload holds.
    await settle();
    const made = secrets("own-worker-");
    expect(made.map((s) => s.name).sort()).toEqual([
      "own-worker-big-token",
      "own-worker-general-token",
    ]);
    expect(Object.keys(c.poolTokens).sort()).toEqual(["big", "general"]);
    const pools = await resolved(c.nodePools);
    for (const pool of ["big", "general"]) {
      const [id] = token(`worker/${pool}`).split(".");
      expect(tokenSecret(made.find((s) => s.name === `own-worker-${pool}-token`))).toMatchObject({
        name: `bootstrap-token-${id}`,
        token: token(`worker/${pool}`),
      });
      expect(pools.find((p) => p.name === pool)?.bootstrapTokenId).toBe(id);
    }
    // Other clusters of the program hold no token of this one's.
    expect((await resolved(c.join)) as object).not.toHaveProperty("bootstrapToken");
  });

  it("uses the OS's group and usages, and makes no token where the OS takes none", async () => {
    const talosLike: NodeOs = {
      ...recordingOs,
      workerToken: "tls-bootstrap",
      bootstrapTokenGroup: "system:bootstrappers:nodes",
    };
    const a = new Cluster("minos:test:Cluster", "grp", talosLike, {
      platform: fakePlatform().platform,
      nodePools: { a: { count: 1 } },
    });
    expect((await resolved(a.join)).bootstrapTokenGroup).toBe("system:bootstrappers:nodes");
    await resolved(a.nodeConfigs);
    await settle();
    const { data } = tokenSecret(secrets("grp-worker-a-token")[0]);
    expect(data["auth-extra-groups"]).toBe("system:bootstrappers:nodes");
    expect(data["usage-bootstrap-authentication"]).toBe("true");
    expect(data).not.toHaveProperty("usage-bootstrap-signing");

    const none: NodeOs = { ...recordingOs, workerToken: "none" };
    const b = new Cluster("minos:test:Cluster", "notoken", none, {
      platform: fakePlatform().platform,
      nodePools: { a: { count: 1 } },
    });
    const ctx = await contexts(b);
    expect(ctx["worker/a"]?.join.bootstrapToken).toBe("");
    await settle();
    expect(secrets("notoken-")).toEqual([]);
    expect(b.poolTokens).toEqual({});
    expect((await resolved(b.nodePools))[0]?.bootstrapTokenId).toBe("");
  });
});

describe("Cluster readiness", () => {
  it("creates the Kubernetes provider only after the API readiness gate", async () => {
    holdResources("pulumi-nodejs:dynamic/minos:ApiReadiness");
    const { c } = cluster("gated", { readiness: { timeoutSeconds: 600 } });
    await resolved(c.kubeconfig);
    await new Promise((r) => setTimeout(r, 100));
    const named = (type: string) =>
      registered.filter((r) => r.type === type && r.name.startsWith("gated-"));
    expect(named("pulumi:providers:kubernetes")).toEqual([]);
    releaseHeld();
    await resolved(c.ready.urn);
    await new Promise((r) => setTimeout(r, 100));
    // One provider for the CNI once the API answers, one for workloads once the nodes are Ready.
    expect(
      named("pulumi:providers:kubernetes")
        .map((p) => p.name)
        .sort(),
    ).toEqual(["gated-k8s", "gated-k8s-bootstrap"]);
    const gates = named("pulumi-nodejs:dynamic/minos:ApiReadiness");
    expect(gates.map((g) => g.inputs)).toEqual([
      expect.objectContaining({
        endpoint: "https://gated.api.example.test:6443",
        timeoutSeconds: 600,
        intervalSeconds: 10,
        waitFor: "api",
      }),
      // 3 control-plane nodes, 2 general, 1 big.
      expect.objectContaining({ waitFor: "nodes", expectedNodes: 6, timeoutSeconds: 600 }),
    ]);
  });

  it("installs the CNI through the API-ready provider, and waits for nodes only when asked", async () => {
    const { c } = cluster("cni", { cni: "cilium" });
    await resolved(c.kubeconfig);
    await new Promise((r) => setTimeout(r, 100));
    const release = registered.find((r) => r.name === "cni-cilium");
    expect(release?.type).toBe("kubernetes:helm.sh/v3:Release");
    expect(release?.inputs).toMatchObject({
      chart: "cilium",
      version: "1.20.0",
      repositoryOpts: { repo: "https://helm.cilium.io" },
      values: { ipam: { mode: "kubernetes" } },
    });
    const apiOnly = cluster("apionly", { readiness: { waitFor: "api" } }).c;
    expect(apiOnly.nodesReady).toBeUndefined();
    expect(await resolved(apiOnly.nodes)).toEqual([]);
  });

  it("keeps the gate's client key secret", async () => {
    const { c } = cluster("gatekey");
    expect(
      await pulumi.isSecret(
        c.ready.urn.apply(
          () => (c.ready as unknown as { clientKeyPem: pulumi.Output<string> }).clientKeyPem,
        ),
      ),
    ).toBe(true);
  });
});

describe("Cluster CNI", () => {
  it("installs pinned Flannel through the cluster's provider, on the cluster's pod network", async () => {
    const { c } = cluster("cni-pods", { podCidr: "10.50.0.0/16" });
    await resolved(c.kubeconfig);
    await new Promise((r) => setTimeout(r, 100));
    const flannel = registered.filter(
      (r) => r.type.startsWith("kubernetes:") && r.name === "cni-pods-flannel",
    );
    expect(flannel.map((r) => r.type).sort()).toEqual([
      "kubernetes:apps/v1:DaemonSet",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:core/v1:Namespace",
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    ]);
    const config = flannel.find((r) => r.type === "kubernetes:core/v1:ConfigMap");
    const data = config?.inputs.data as Record<string, string>;
    expect(JSON.parse(data["net-conf.json"] ?? "")).toEqual({
      Network: "10.50.0.0/16",
      EnableNFTables: false,
      Backend: { Type: "vxlan" },
    });
    const ds = flannel.find((r) => r.type === "kubernetes:apps/v1:DaemonSet");
    const images = JSON.stringify(ds?.inputs).match(/ghcr\.io\/flannel-io\/[a-z-]+:[^"]+/g);
    expect(new Set(images)).toEqual(
      new Set([
        "ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3",
        "ghcr.io/flannel-io/flannel:v0.28.9",
      ]),
    );
    expect(c.addons).toHaveLength(6);
  });

  it("installs nothing with cni: none", () => {
    const { c } = cluster("nocni", { cni: "none" });
    expect(c.addons).toEqual([]);
  });

  it("says which CNI it runs and who deploys it: minos, the OS, or the user", () => {
    expect(cluster("cnif").c.cni).toEqual({ plugin: "flannel", deployedBy: "minos" });
    expect(cluster("cnic", { cni: "cilium" }).c.cni).toEqual({
      plugin: "cilium",
      deployedBy: "minos",
    });
    expect(cluster("cnin", { cni: "none" }).c.cni).toEqual({ plugin: "none", deployedBy: "user" });
    const ownFlannel: NodeOs = { ...recordingOs, providesCni: (cni) => cni === "flannel" };
    const c = new Cluster("minos:test:Cluster", "cnio", ownFlannel, {
      platform: fakePlatform().platform,
    });
    expect(c.cni).toEqual({ plugin: "flannel", deployedBy: "os" });
    expect(c.addons).toEqual([]);
  });
});

describe("Cluster validation happens before any resource", () => {
  const cases: [string, string, Partial<ClusterArgs>, string][] = [
    ["bad name", "Bad_Name", {}, "name"],
    ["even control plane", "ok", { controlPlane: { count: 2 } }, "controlPlane.count"],
    ["old Kubernetes", "ok", { kubernetesVersion: "1.29.0" }, "kubernetesVersion"],
    ["overlapping CIDRs", "ok", { podCidr: "10.96.0.0/16" }, "serviceCidr"],
    ["pool size", "ok", { nodePools: { a: { count: -1 } } }, "nodePools.a.count"],
    ["pool name", "ok", { nodePools: { A: { count: 1 } } }, "nodePools key"],
    [
      "node-role label",
      "ok",
      { nodePools: { a: { count: 1, labels: { "node-role.kubernetes.io/x": "" } } } },
      "nodePools.a.labels key",
    ],
    ["unsupported platform", "ok", { platform: fakePlatform("gcp").platform }, "platform"],
    ["readiness timeout", "ok", { readiness: { timeoutSeconds: 5 } }, "readiness.timeoutSeconds"],
    ["cni", "ok", { cni: "calico" as never }, "cni"],
  ];
  it.each(cases)("%s", (_, name, args, argument) => {
    const before = registered.length;
    let error: unknown;
    try {
      cluster(name, args);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MinosError);
    expect((error as MinosError).argument).toBe(argument);
    expect(registered.length).toBe(before);
  });

  it("checks the platform's node network against pod and service networks", () => {
    const { platform } = fakePlatform("kvm", "10.244.10.0/24");
    expect(() => new Cluster("minos:test:Cluster", "clash", recordingOs, { platform })).toThrow(
      /podCidr.*must not overlap the platform's node network \(10\.244\.10\.0\/24\)/,
    );
  });
});

describe("NodeGroup", () => {
  it("joins a cluster through its join output, on the cluster's platform and network", async () => {
    const { c, requests } = cluster("host");
    const before = requests.length;
    const group = new NodeGroup("minos:test:NodeGroup", "extra", recordingOs, {
      cluster: c,
      nodePools: { edge: { count: 3 } },
    });
    const mine = requests.slice(before);
    expect(mine.map((r) => [r.name, r.role, r.count])).toEqual([["extra-edge", "worker", 3]]);
    const configs = await resolved(group.nodeConfigs);
    const ctx = JSON.parse(configs["worker/edge"] ?? "").ctx as BootstrapContext;
    expect(ctx.controlPlane).toBeUndefined();
    expect(ctx.endpoint.host).toBe("host.api.example.test");
    expect(ctx.join).toEqual(
      expect.objectContaining({ bootstrapToken: expect.stringMatching(/\./) }),
    );
    expect(await pulumi.isSecret(group.nodeConfigs)).toBe(true);
  });

  it("lets its OS refuse the cluster it joins, by that cluster's facts, before anything is made", () => {
    const { c } = cluster("refusing", { cni: "cilium", osUpdates: { mode: "off" } });
    const asked: ClusterRequest[] = [];
    const picky: NodeOs = {
      ...recordingOs,
      validate: (request) => {
        asked.push(request);
        throw new MinosError("cluster.cni", request.cni.plugin, "not this one");
      },
    };
    const before = registered.length;
    expect(
      () =>
        new NodeGroup("minos:test:NodeGroup", "picky", picky, {
          cluster: c,
          arch: "arm64",
          nodePools: { a: { count: 1 } },
        }),
    ).toThrow(/cluster\.cni: "cilium"; not this one/);
    expect(asked).toEqual([
      {
        platform: "kvm",
        kubernetes: c.kubernetes,
        arch: "arm64",
        osUpdates: { mode: "off" },
        cni: { plugin: "cilium", deployedBy: "minos" },
        joining: true,
      },
    ]);
    expect(registered.length).toBe(before);
  });

  it("needs at least one pool and a minos cluster", () => {
    expect(
      () =>
        new NodeGroup("minos:test:NodeGroup", "none", recordingOs, {
          cluster: cluster("pools").c,
          nodePools: {},
        }),
    ).toThrow(MinosError);
    expect(
      () =>
        new NodeGroup("minos:test:NodeGroup", "none", recordingOs, {
          cluster: { join: {} } as never,
          nodePools: { a: { count: 1 } },
        }),
    ).toThrow(/cluster.*pass a minos cluster, or its platform, join/);
  });
});
