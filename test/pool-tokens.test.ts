/**
 * One bootstrap token per worker pool. Each pool of a cluster or node group
 * gets a token of its own, made by the program (a `random` pair, kept in
 * state) and made valid in the cluster as its own
 * `kube-system/bootstrap-token-<id>` Secret; its payload carries that token
 * alone. These tests read what the engine would be told: the payloads the
 * machines boot with (parsed as each OS's consumer reads them), the Secrets'
 * inputs, providers and dependencies, and what a second run of the same
 * program, or of one with a pool less, renders.
 */
import { generateKeyPairSync } from "node:crypto";
import { aws } from "@minos/aws";
import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import type { Cluster, ClusterRef, JoinInfo } from "@minos/core";
import { NodeGroup } from "@minos/core";
import type { FlatcarClusterArgs } from "@minos/flatcar";
import { FlatcarCluster, flatcarOs } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import { TalosCluster } from "@minos/talos";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseToml } from "smol-toml";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments, parse as parseYaml } from "yaml";
import { ignitionValidate } from "./support/ignition.js";
import { fileContents } from "./support/ignition-files.js";
import type { TokenSecret } from "./support/pool-tokens.js";
import { poolTokenOf, SECRET_TYPE } from "./support/pool-tokens.js";
import type { EngineRecording, GraphNode, RegisteredResource } from "./support/pulumi-mocks.js";
import { installMocks, mockOutputs, recordEngine, resolved } from "./support/pulumi-mocks.js";
import { haveTool } from "./support/system-tools.js";

const SYSEXT = { hashes: { "kubernetes-v1.37.1-x86-64.raw": `sha256-${"e".repeat(64)}` } };
const KUBEADM_GROUP = "system:bootstrappers:kubeadm:default-node-token";
const DOMAIN = "pulumi-nodejs:dynamic/minos-libvirt:Domain";

/**
 * Keys as state keeps them: one per resource name for the whole test file,
 * so a second run of a program gets the keys the first made, as `pulumi up`
 * would read them back from state.
 */
const keys = new Map<string, { privateKeyPem: string; publicKeyPem: string }>();
function keyOf(name: string) {
  let pair = keys.get(name);
  if (!pair) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    pair = {
      privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    keys.set(name, pair);
  }
  return pair;
}

interface Run extends EngineRecording {
  registered: RegisteredResource[];
}

/** Runs a program as one `pulumi up` of stack `pool-tokens`, until nothing new registers. */
async function run(program: () => pulumi.Resource[]): Promise<Run> {
  const registered = installMocks({ stack: "pool-tokens" });
  const recording = recordEngine();
  mockOutputs("tls:index/privateKey:PrivateKey", (_inputs, name) => keyOf(name));
  mockOutputs("pulumi-nodejs:dynamic/minos:ApiReadiness", () => ({
    readySeconds: 1,
    nodesReadySeconds: 2,
    nodes: [],
  }));
  const made = program();
  for (const m of made)
    if ("nodeConfigs" in m) await resolved((m as Cluster).nodeConfigs as pulumi.Output<unknown>);
  for (let seen = -1; seen !== registered.length; ) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 150));
  }
  return { registered, ...recording };
}

function flatcar(name: string, args: Partial<FlatcarClusterArgs> = {}): FlatcarCluster {
  return new FlatcarCluster(name, {
    platform: kvm({ cidr: "10.71.0.0/24" }),
    sysext: SYSEXT,
    nodePools: { general: { count: 2 }, batch: { count: 1 } },
    ...args,
  });
}

/** The kubeadm documents a Flatcar or FCOS payload writes to /etc/kubernetes/kubeadm.yaml. */
const kubeadmDocs = <T>(payload: string) =>
  parseAllDocuments(fileContents(payload, "/etc/kubernetes/kubeadm.yaml")).map(
    (d) => d.toJS() as T,
  );
type JoinDoc = { discovery: { bootstrapToken: { token: string } } };

/** Every resource a resource waits for, through its inputs, dependsOn and provider, transitively. */
function waitsFor(graph: GraphNode[], urn: string): Set<string> {
  const byUrn = new Map(graph.map((n) => [n.urn, n]));
  const direct = (u: string) => {
    const n = byUrn.get(u);
    return n ? [...n.dependencies, n.provider].filter(Boolean) : [];
  };
  const seen = new Set<string>();
  const stack = direct(urn);
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...direct(next));
  }
  return seen;
}

/** An Ignition payload as a node reads it: its JSON and every file's decoded contents. */
function readable(payload: string): string {
  const config = JSON.parse(payload) as { storage?: { files?: { path: string }[] } };
  const files = (config.storage?.files ?? []).map((f) => fileContents(payload, f.path));
  return [payload, ...files].join("\n");
}

const node = (r: Run, name: string) => r.graph.find((n) => n.name === name) as GraphNode;

describe("a cluster's pools: Flatcar on KVM, pools general and batch", () => {
  let first: Run;
  let cluster: FlatcarCluster;
  let configs: Record<string, string>;
  let general: TokenSecret;
  let batch: TokenSecret;
  beforeAll(async () => {
    first = await run(() => {
      cluster = flatcar("pt");
      return [cluster];
    });
    configs = await resolved(cluster.nodeConfigs);
    general = poolTokenOf(first.registered, "pt-worker-general");
    batch = poolTokenOf(first.registered, "pt-worker-batch");
  });

  it("gives the two pools two tokens, and each payload carries only its own", () => {
    expect(general.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(batch.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(general.token).not.toBe(batch.token);
    for (const [pool, own, other] of [
      ["general", general, batch],
      ["batch", batch, general],
    ] as const) {
      const payload = configs[`worker/${pool}`] as string;
      const [join] = kubeadmDocs<JoinDoc>(payload);
      expect(join?.discovery.bootstrapToken.token).toBe(own.token);
      expect(readable(payload)).toContain(own.data["token-secret"]);
      expect(readable(payload)).not.toContain(other.data["token-secret"]);
    }
    // The control plane keeps the cluster's own token, for control-plane joins, and no pool's.
    const [init] = kubeadmDocs<{ bootstrapTokens: { token: string }[] }>(
      configs["control-plane"] as string,
    );
    expect(init?.bootstrapTokens).toHaveLength(1);
    const clusterToken = init?.bootstrapTokens[0]?.token as string;
    expect([general.token, batch.token]).not.toContain(clusterToken);
    const cpPayload = readable(configs["control-plane"] as string);
    expect(cpPayload).toContain(clusterToken);
    for (const t of [general, batch]) expect(cpPayload).not.toContain(t.data["token-secret"]);
    for (const pool of ["general", "batch"])
      expect(readable(configs[`worker/${pool}`] as string)).not.toContain(
        clusterToken.split(".")[1],
      );
  });

  it.skipIf(!haveTool("ignition-validate", "ignition-validate"))(
    "renders worker payloads the real ignition-validate accepts",
    () => {
      for (const pool of ["general", "batch"])
        expect(ignitionValidate(configs[`worker/${pool}`] as string)).toEqual({
          code: 0,
          output: "",
        });
    },
  );

  it("makes each token valid with a bootstrap token Secret of kubeadm's shape, data secret", () => {
    for (const [pool, t] of [
      ["general", general],
      ["batch", batch],
    ] as const) {
      const [id, secret] = t.token.split(".");
      expect(t).toMatchObject({
        name: `bootstrap-token-${id}`,
        namespace: "kube-system",
        type: "bootstrap.kubernetes.io/token",
        labels: { "minos.dev/pool": pool, "minos.dev/owner": "pt" },
        dataSecret: true,
      });
      expect(t.data).toEqual({
        "token-id": id,
        "token-secret": secret,
        description: `minos: lets machines of pool ${pool} (pt) join`,
        "usage-bootstrap-authentication": "true",
        "usage-bootstrap-signing": "true",
        "auth-extra-groups": KUBEADM_GROUP,
      });
    }
    expect(Object.keys(cluster.poolTokens).sort()).toEqual(["batch", "general"]);
  });

  it("reports each pool's token id, to find the Secret that revokes it", async () => {
    const pools = await resolved(cluster.nodePools);
    expect(pools.map((p) => [p.name, p.bootstrapTokenId])).toEqual([
      ["batch", batch.data["token-id"]],
      ["general", general.data["token-id"]],
    ]);
  });

  it("makes the Secrets through the provider the API gate opens, before the nodes gate; machines boot beside them", () => {
    const provider = node(first, "pt-k8s-bootstrap");
    expect(provider.type).toBe("pulumi:providers:kubernetes");
    const secrets = first.graph.filter((n) => n.type === SECRET_TYPE && n.name.endsWith("-token"));
    expect(secrets.map((s) => s.name).sort()).toEqual([
      "pt-worker-batch-token",
      "pt-worker-general-token",
    ]);
    for (const s of secrets) {
      expect(s.provider).toBe(provider.urn);
      expect(waitsFor(first.graph, s.urn)).toContain(node(first, "pt-api-ready").urn);
    }
    const nodesReady = waitsFor(first.graph, node(first, "pt-nodes-ready").urn);
    for (const s of secrets) expect(nodesReady).toContain(s.urn);
    // Workers are made in parallel with the control plane: they wait for no Secret.
    const workers = first.graph.filter((n) => n.type === DOMAIN && n.name.includes("-worker-"));
    expect(workers.length).toBe(3);
    for (const w of workers)
      for (const s of secrets) expect(waitsFor(first.graph, w.urn).has(s.urn), w.name).toBe(false);
  });

  it("renders the same bytes on a second run, and keeps a pool's token when another pool goes", async () => {
    let again!: FlatcarCluster;
    const second = await run(() => {
      again = flatcar("pt");
      return [again];
    });
    expect(await resolved(again.nodeConfigs)).toEqual(configs);
    expect(poolTokenOf(second.registered, "pt-worker-general").token).toBe(general.token);
    expect(poolTokenOf(second.registered, "pt-worker-batch").token).toBe(batch.token);

    let fewer!: FlatcarCluster;
    const third = await run(() => {
      fewer = flatcar("pt", { nodePools: { general: { count: 2 } } });
      return [fewer];
    });
    const left = await resolved(fewer.nodeConfigs);
    expect(Object.keys(left).sort()).toEqual(["control-plane", "worker/general"]);
    // The remaining pool's token and payload, and the control plane's payload: unchanged.
    expect(poolTokenOf(third.registered, "pt-worker-general").token).toBe(general.token);
    expect(left["worker/general"]).toBe(configs["worker/general"]);
    expect(left["control-plane"]).toBe(configs["control-plane"]);
    // Batch's Secret is no longer in the program: `pulumi up` deletes it, which revokes its token.
    expect(third.registered.filter((r) => r.name === "pt-worker-batch-token")).toEqual([]);
  });

  it("rotates one pool's token when its generation is bumped, and moves an expiry without a new payload", async () => {
    let rotated!: FlatcarCluster;
    const next = await run(() => {
      rotated = flatcar("pt", {
        nodePools: {
          general: { count: 2, bootstrapToken: { expiresAt: "2030-01-01T00:00:00Z" } },
          batch: { count: 1, bootstrapToken: { generation: 1 } },
        },
      });
      return [rotated];
    });
    const after = await resolved(rotated.nodeConfigs);
    const newBatch = poolTokenOf(next.registered, "pt-worker-batch");
    const newGeneral = poolTokenOf(next.registered, "pt-worker-general");
    // Batch: a new token (a new id, so a new Secret in place of the old), a new payload.
    expect(newBatch.token).not.toBe(batch.token);
    expect(newBatch.data["token-id"]).not.toBe(batch.data["token-id"]);
    expect(after["worker/batch"]).not.toBe(configs["worker/batch"]);
    expect(readable(after["worker/batch"] as string)).toContain(newBatch.token);
    expect(
      next.registered
        .filter((r) => r.name.startsWith("pt-worker-batch-token-"))
        .map((r) => r.inputs.keepers),
    ).toEqual([{ generation: "1" }, { generation: "1" }]);
    // General: the same token and payload; its Secret now expires.
    expect(newGeneral.token).toBe(general.token);
    expect(newGeneral.data.expiration).toBe("2030-01-01T00:00:00Z");
    expect(after["worker/general"]).toBe(configs["worker/general"]);
    expect(after["control-plane"]).toBe(configs["control-plane"]);
  });
});

describe("Talos pools", () => {
  let r: Run;
  let cluster: TalosCluster;
  beforeAll(async () => {
    r = await run(() => {
      cluster = new TalosCluster("ptt", {
        platform: kvm({ cidr: "10.72.0.0/24" }),
        nodePools: { general: { count: 1 }, batch: { count: 1 } },
      });
      return [cluster];
    });
  });

  it("puts each pool's token in its workers' cluster.token, in Talos's node group, for TLS bootstrap only", async () => {
    const configs = await resolved(cluster.nodeConfigs);
    const token = (key: string) =>
      (parseYaml(configs[key] as string) as { cluster: { token: string } }).cluster.token;
    const general = poolTokenOf(r.registered, "ptt-worker-general");
    const batch = poolTokenOf(r.registered, "ptt-worker-batch");
    expect(token("worker/general")).toBe(general.token);
    expect(token("worker/batch")).toBe(batch.token);
    expect(token("control-plane")).not.toBe(general.token);
    expect(token("control-plane")).not.toBe(batch.token);
    for (const t of [general, batch]) {
      expect(t.data["auth-extra-groups"]).toBe("system:bootstrappers:nodes");
      expect(t.data["usage-bootstrap-authentication"]).toBe("true");
      expect(t.data).not.toHaveProperty("usage-bootstrap-signing");
    }
    expect((await resolved(cluster.join)).bootstrapTokenGroup).toBe("system:bootstrappers:nodes");
    // The worker configs still share Talos's machine token: trustd knows only one.
    const machineToken = (key: string) =>
      (parseYaml(configs[key] as string) as { machine: { token: string } }).machine.token;
    expect(machineToken("worker/general")).toBe(machineToken("worker/batch"));
    expect(machineToken("worker/general")).toBe(machineToken("control-plane"));
  });
});

describe("node groups", () => {
  it("a Flatcar NodeGroup makes its pool's Secret through the cluster's provider, and its machines wait for it", async () => {
    let host!: FlatcarCluster;
    let group!: NodeGroup;
    const r = await run(() => {
      host = flatcar("pth", { platform: kvm({ cidr: "10.73.0.0/24" }) });
      group = new NodeGroup("minos:test:NodeGroup", "ptg", flatcarOs({ sysext: SYSEXT }), {
        cluster: host,
        nodePools: { extra: { count: 1 } },
      });
      return [host, group];
    });
    const own = poolTokenOf(r.registered, "ptg-extra");
    const configs = await resolved(group.nodeConfigs);
    const [join] = kubeadmDocs<JoinDoc>(configs["worker/extra"] as string);
    expect(join?.discovery.bootstrapToken.token).toBe(own.token);
    expect(own.token).not.toBe(poolTokenOf(r.registered, "pth-worker-general").token);
    expect(own.labels).toEqual({ "minos.dev/pool": "extra", "minos.dev/owner": "ptg" });
    const secret = node(r, "ptg-extra-token");
    expect(secret.provider).toBe(node(r, "pth-k8s").urn);
    const domains = r.graph.filter((n) => n.type === DOMAIN && n.name.startsWith("ptg-extra"));
    expect(domains).toHaveLength(1);
    for (const d of domains) expect(waitsFor(r.graph, d.urn)).toContain(secret.urn);
    expect(Object.keys(group.poolTokens)).toEqual(["extra"]);
  });

  it("a cluster of another stack: through the provider given, in the group the cluster names", async () => {
    let group!: NodeGroup;
    const r = await run(() => {
      const provider = new k8s.Provider("elsewhere", { kubeconfig: "apiVersion: v1" });
      const ref: ClusterRef = {
        platform: kvm({ cidr: "10.74.0.0/24" }),
        join: pulumi.secret<JoinInfo>({
          clusterName: "elsewhere",
          kubernetesVersion: "1.37.1",
          endpoint: { host: "10.74.0.10", port: 6443 },
          podCidr: "10.244.0.0/16",
          serviceCidr: "10.96.0.0/12",
          caCertPem: "-----BEGIN CERTIFICATE-----\nelsewhere\n-----END CERTIFICATE-----\n",
          caCertHash: `sha256:${"a".repeat(64)}`,
          osUpdates: { mode: "coordinated" },
          site: { network: "elsewhere", networkCidr: "10.74.0.0/24" },
        }),
        kubernetesVersion: "1.37.1",
        cni: { plugin: "flannel", deployedBy: "minos" },
        osUpdates: { mode: "coordinated" },
        provider,
      };
      group = new NodeGroup("minos:test:NodeGroup", "pte", flatcarOs({ sysext: SYSEXT }), {
        cluster: ref,
        nodePools: { a: { count: 1 }, b: { count: 1 } },
      });
      return [provider, group];
    });
    const a = poolTokenOf(r.registered, "pte-a");
    const b = poolTokenOf(r.registered, "pte-b");
    expect(a.token).not.toBe(b.token);
    // A JoinInfo exported before it named a group: kubeadm's.
    expect(a.data["auth-extra-groups"]).toBe(KUBEADM_GROUP);
    for (const name of ["pte-a-token", "pte-b-token"])
      expect(node(r, name).provider).toBe(node(r, "elsewhere").urn);
    const configs = await resolved(group.nodeConfigs);
    expect(readable(configs["worker/a"] as string)).toContain(a.token);
    expect(readable(configs["worker/a"] as string)).not.toContain(b.token);
  });

  it("Bottlerocket pools on a minos cluster: each its own token in its settings, TLS bootstrap only", async () => {
    let group!: BottlerocketNodeGroup;
    const r = await run(() => {
      const host = flatcar("ptb", { platform: aws(), nodePools: { general: { count: 1 } } });
      group = new BottlerocketNodeGroup("ptbr", {
        cluster: host,
        nodePools: { a: { count: 1 }, b: { count: 1 } },
      });
      return [host, group];
    });
    const configs = await resolved(group.nodeConfigs);
    for (const pool of ["a", "b"]) {
      const own = poolTokenOf(r.registered, `ptbr-${pool}`);
      const settings = parseToml(configs[`worker/${pool}`] as string) as {
        settings: { kubernetes: Record<string, string> };
      };
      expect(settings.settings.kubernetes["bootstrap-token"]).toBe(own.token);
      expect(own.data).not.toHaveProperty("usage-bootstrap-signing");
      expect(own.data["auth-extra-groups"]).toBe(KUBEADM_GROUP);
    }
    expect(poolTokenOf(r.registered, "ptbr-a").token).not.toBe(
      poolTokenOf(r.registered, "ptbr-b").token,
    );
  });
});
