import { aws } from "@minos/aws";
import type { Platform } from "@minos/core";
import { gcp } from "@minos/gcp";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { EngineRecording, RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import {
  installMocks,
  isSecretInput,
  plain,
  recordEngine,
  resolved,
} from "../../../test/support/pulumi-mocks.js";
import type { TalosClusterArgs } from "../src/index.js";
import { TalosCluster, talosOs } from "../src/index.js";

let registered: RegisteredResource[];
let engine: EngineRecording;
beforeAll(() => {
  registered = installMocks();
  engine = recordEngine();
});

const HANDOVER = "pulumi-nodejs:dynamic/minos-talos:TalosConfigHandover";
const BOOTSTRAP = "pulumi-nodejs:dynamic/minos-talos:EtcdBootstrap";
const of = (cluster: string, type: string) =>
  registered.filter((r) => r.type === type && r.name.startsWith(`${cluster}-`));
const node = (name: string) => engine.graph.find((n) => n.name === name);

/** The maintenance API is refused open to the world: these clusters narrow it. */
const NARROW = { apiAllowedCidrs: ["203.0.113.0/24"] };

async function talos(name: string, platform: Platform, args: Partial<TalosClusterArgs> = {}) {
  const cluster = new TalosCluster(name, {
    platform,
    controlPlane: { count: 3 },
    nodePools: { general: { count: 2 } },
    controlPlaneDelivery: "machine-api",
    ...args,
  });
  await resolved(cluster.kubeconfig);
  await resolved(cluster.nodeConfigs);
  await new Promise((r) => setTimeout(r, 100));
  return cluster;
}

/** The handover: to the balancer's apid, the control plane's config (secret), one entry per machine. */
async function expectHandover(name: string, address: string) {
  const handovers = of(name, HANDOVER);
  expect(handovers).toHaveLength(1);
  const [handover] = handovers;
  expect(handover?.inputs.address).toBe(address);
  expect(isSecretInput(handover?.inputs.config)).toBe(true);
  const config = parse(plain<string>(handover?.inputs.config));
  expect(config.machine.type).toBe("controlplane");
  // The CA key the whole exercise keeps out of user-data.
  expect(config.machine.ca.key).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
  expect(plain<string[]>(handover?.inputs.machines)).toHaveLength(3);
  expect(new Set(plain<string[]>(handover?.inputs.machines)).size).toBe(3);
  // etcd is bootstrapped only once the nodes have their config.
  const [bootstrap] = of(name, BOOTSTRAP);
  expect(node(bootstrap?.name ?? "")?.dependencies).toContain(node(handover?.name ?? "")?.urn);
  return config;
}

describe("Talos controlPlaneDelivery machine-api under mocks", () => {
  it("delivers control planes by machine API on AWS and GCP, workers as before", () => {
    const os = talosOs({ controlPlaneDelivery: "machine-api" });
    expect(os.delivery("aws", "control-plane")).toEqual({ kind: "machine-api" });
    expect(os.delivery("gcp", "control-plane-join")).toEqual({ kind: "machine-api" });
    expect(os.delivery("aws", "worker")).toEqual({ kind: "user-data" });
    expect(os.delivery("gcp", "worker")).toEqual({ kind: "metadata", key: "user-data" });
    expect(talosOs().delivery("aws", "control-plane")).toEqual({ kind: "user-data" });
  });

  it("on AWS: no user-data on control-plane instances, workers' launch template keeps its config", async () => {
    await talos("ma", aws(NARROW));
    const instances = of("ma", "aws:ec2/instance:Instance");
    expect(instances).toHaveLength(3);
    for (const i of instances) expect(i.inputs).not.toHaveProperty("userData");
    const [template] = of("ma", "aws:ec2/launchTemplate:LaunchTemplate");
    expect(isSecretInput(template?.inputs.userData)).toBe(true);
    const worker = parse(
      Buffer.from(plain<string>(template?.inputs.userData), "base64").toString(),
    );
    expect(worker.machine.type).toBe("worker");
    expect(worker.machine.ca.key).toBeUndefined();
    const config = await expectHandover(
      "ma",
      "ma-api-0123456789.elb.us-east-1.amazonaws.com:50000",
    );
    expect(config.cluster.ca.crt).toBe(worker.cluster.ca.crt);
  });

  it("on GCP: no user-data metadata key on control-plane instances (SSH keys still blocked), workers' template keeps it", async () => {
    await talos("mg", gcp({ region: "europe-west1", ...NARROW }));
    const instances = of("mg", "gcp:compute/instance:Instance");
    expect(instances).toHaveLength(3);
    for (const i of instances)
      expect(plain(i.inputs.metadata)).toEqual({ "block-project-ssh-keys": "true" });
    const [template] = of("mg", "gcp:compute/instanceTemplate:InstanceTemplate");
    // Secret as a whole or by key: either way no plain-text config in state.
    const held = template?.inputs.metadata as Record<string, unknown>;
    expect(isSecretInput(held) || isSecretInput(held["user-data"])).toBe(true);
    const metadata = plain<Record<string, string>>(held);
    expect(parse(metadata["user-data"] ?? "").machine.type).toBe("worker");
    expect(metadata["block-project-ssh-keys"]).toBe("true");
    await expectHandover("mg", "203.0.113.50:50000");
  });

  it("makes no handover with the default delivery", async () => {
    await talos("md", aws(), { controlPlaneDelivery: "user-data" });
    expect(of("md", HANDOVER)).toEqual([]);
    for (const i of of("md", "aws:ec2/instance:Instance"))
      expect(parse(plain<string>(i.inputs.userData)).machine.type).toBe("controlplane");
  });
});
