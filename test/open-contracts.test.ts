/**
 * The contracts are open: a platform and an OS written outside minos, against
 * `@minos/core`'s public exports alone (test/support/toy-*.ts), make a
 * cluster and a node group through minos' own pipeline, held to what the
 * contract promises both sides.
 */
import type { BootstrapContext, ClusterArgs, MachinesRequest } from "@minos/core";
import { Cluster, MinosError, NodeGroup, renderNode } from "@minos/core";
import { flatcarOs } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { poolTokenOf } from "./support/pool-tokens.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { installMocks, isSecretInput, plain, resolved } from "./support/pulumi-mocks.js";
import type { ToyOsOptions, ToyPayload } from "./support/toy-os.js";
import { toyOs, toyPointer } from "./support/toy-os.js";
import type { ToyCloud, ToySiteIds } from "./support/toy-platform.js";
import { TOY_OBJECT_LIMIT, toycloud } from "./support/toy-platform.js";

type ToyClusterArgs = ClusterArgs & ToyOsOptions;

/** A cluster of toyos, through core's own Cluster, as a toyos package would subclass it. */
const toyCluster = (name: string, args: ToyClusterArgs) =>
  new Cluster("minos:toy:Cluster", name, toyOs(args), args);

/** Waits until nothing new registers. */
async function settle(registered: RegisteredResource[]): Promise<void> {
  for (let seen = -1; seen !== registered.length; ) {
    seen = registered.length;
    await new Promise((r) => setTimeout(r, 150));
  }
}

/**
 * Runs a program and returns what its deployment would fail with: Pulumi's
 * language host reports a program's unhandled rejections (an input that
 * failed to resolve) as the deployment's errors; here they are collected
 * instead of failing the test run, until nothing new registers.
 */
async function deploymentErrors(
  registered: RegisteredResource[],
  program: () => void,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  const record = (e: unknown) => errors.push(e);
  const kept = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", record);
  try {
    program();
    await settle(registered);
    await new Promise((r) => setTimeout(r, 300));
  } finally {
    process.off("unhandledRejection", record);
    for (const listener of kept) process.on("unhandledRejection", listener);
  }
  return errors;
}

/** What a call threw. */
function thrown(make: () => unknown): unknown {
  try {
    make();
  } catch (e) {
    return e;
  }
  throw new Error("it did not throw");
}

/**
 * What an Output failed with: Pulumi has no public way to read a failed
 * Output, so this reads the promise behind it.
 */
function failureOf(output: pulumi.Output<unknown>): Promise<unknown> {
  return (output as unknown as { promise(): Promise<unknown> }).promise().then(
    () => {
      throw new Error("the output resolved");
    },
    (e: unknown) => e,
  );
}

const PLANNED = [
  {
    name: "toy-control-plane",
    role: "control-plane",
    pool: "control-plane",
    count: 1,
    maxCount: 1,
    firstIndex: 0,
    spot: false,
  },
  {
    name: "toy-control-plane-join",
    role: "control-plane-join",
    pool: "control-plane",
    count: 2,
    maxCount: 2,
    firstIndex: 1,
    spot: false,
  },
  {
    name: "toy-worker-batch",
    role: "worker",
    pool: "batch",
    count: 1,
    maxCount: 4,
    firstIndex: 0,
    spot: false,
  },
  {
    name: "toy-worker-general",
    role: "worker",
    pool: "general",
    count: 2,
    maxCount: 2,
    firstIndex: 0,
    spot: false,
    machineType: "toy-large",
  },
];

describe("refusals, before any resource", () => {
  let registered: RegisteredResource[];
  beforeAll(() => {
    registered = installMocks({ stack: "toy-refusals" });
  });

  it("the platform's validate refuses what toycloud cannot build, seeing the whole plan", async () => {
    const cloud = toycloud();
    const error = thrown(() =>
      toyCluster("toobig", {
        platform: cloud,
        controlPlane: { count: 5 },
        nodePools: { general: { count: 2 } },
      }),
    );
    expect(error).toBeInstanceOf(MinosError);
    expect((error as MinosError).argument).toBe("controlPlane.count");
    expect((error as MinosError).message).toMatch(/toycloud has three zones/);
    expect(cloud.calls.validate.map((v) => [v.name, v.groups.map((g) => g.name)])).toEqual([
      ["toobig", ["toobig-control-plane", "toobig-control-plane-join", "toobig-worker-general"]],
    ]);
    expect(
      thrown(() =>
        toyCluster("spotty", { platform: cloud, nodePools: { cheap: { count: 1, spot: true } } }),
      ),
    ).toMatchObject({ argument: "nodePools.cheap.spot" });
    expect(
      thrown(() =>
        toyCluster("typed", {
          platform: cloud,
          nodePools: { general: { count: 1, machineType: "t3.medium" } },
        }),
      ),
    ).toMatchObject({ argument: "nodePools.general.machineType" });
    expect(cloud.calls.site).toEqual([]);
    await settle(registered);
    expect(registered).toEqual([]);
  });

  it("toyos is refused on a minos platform, and minos' OSes on toycloud, naming the platform", async () => {
    const onKvm = thrown(() => toyCluster("tkvm", { platform: kvm() }));
    expect(onKvm).toBeInstanceOf(MinosError);
    expect((onKvm as MinosError).message).toBe(
      'minos: invalid platform: "kvm"; toyos runs on toycloud',
    );
    const flatcarOnToy = thrown(
      () => new Cluster("minos:test:Cluster", "ftoy", flatcarOs(), { platform: toycloud() }),
    );
    expect((flatcarOnToy as MinosError).message).toBe(
      'minos: invalid platform: "toycloud"; flatcar runs on aws, gcp, kvm',
    );
    await settle(registered);
    expect(registered).toEqual([]);
  });

  it("toyos' own options, Kubernetes range and CNI rules hold before any resource", async () => {
    const cloud = toycloud();
    expect(
      (thrown(() => toyCluster("typo", { platform: cloud, toyChanel: "edge" } as never)) as Error)
        .message,
    ).toMatch(/invalid toyChanel: "edge"; there is no such argument \(did you mean toyChannel\?\)/);
    expect(
      (thrown(() => toyCluster("newer", { platform: cloud, kubernetesVersion: "1.37.1" })) as Error)
        .message,
    ).toMatch(/minor 1\.34 to 1\.35 \(toyos ships kubelet 1\.34 and 1\.35\)/);
    expect(thrown(() => toyCluster("cil", { platform: cloud, cni: "cilium" }))).toMatchObject({
      argument: "cni",
    });
    expect(cloud.calls.validate).toEqual([]);
    await settle(registered);
    expect(registered).toEqual([]);
  });
});

describe("a toyos cluster on toycloud", () => {
  let registered: RegisteredResource[];
  let cloud: ToyCloud;
  let cluster: Cluster;
  const of = (type: string) => registered.filter((r) => r.type === `toycloud:${type}`);

  beforeAll(async () => {
    registered = installMocks({ stack: "toy" });
    cloud = toycloud({ region: "toy-west-2" });
    cluster = toyCluster("toy", {
      platform: cloud,
      toyChannel: "edge",
      controlPlane: { count: 3 },
      nodePools: {
        general: { count: 2, machineType: "toy-large" },
        batch: { count: 1, minCount: 0, maxCount: 4, diskGiB: 50 },
      },
      tags: { team: "toys" },
    });
    await resolved(cluster.nodeConfigs);
    await settle(registered);
  });

  it("asks toycloud for one site, with every group planned, before any machine", () => {
    expect(cloud.calls.site).toHaveLength(1);
    const info = cloud.calls.site[0]?.info;
    expect(info).toMatchObject({
      name: "toy",
      controlPlaneCount: 3,
      apiPort: 6443,
      sshEnabled: false,
    });
    // Each with the delivery the OS hands it there (toyos: user-data).
    expect(info?.groups).toEqual(PLANNED.map((g) => ({ ...g, delivery: "user-data" })));
    // validate saw the same plan, first.
    expect(cloud.calls.validate).toEqual([info]);
    expect(cluster.site).toBe(cloud.calls.site[0]?.site);
    expect(cloud.calls.joinSite).toEqual([]);
  });

  it("asks for each planned group's machines exactly once, with its counts, role, image and delivery", () => {
    // name, role, pool, count, minCount, maxCount, firstIndex, machineType, diskGiB
    const asked = cloud.calls.machines.map((r) => [
      r.name,
      r.role,
      r.pool,
      [r.count, r.minCount, r.maxCount, r.firstIndex],
      r.machineType,
      r.diskGiB,
    ]);
    expect(asked).toEqual([
      ["toy-control-plane", "control-plane", "control-plane", [1, 1, 1, 0], undefined, 30],
      [
        "toy-control-plane-join",
        "control-plane-join",
        "control-plane",
        [2, 2, 2, 1],
        undefined,
        30,
      ],
      ["toy-worker-batch", "worker", "batch", [1, 0, 4, 0], undefined, 50],
      ["toy-worker-general", "worker", "general", [2, 2, 2, 0], "toy-large", 30],
    ]);
    for (const r of cloud.calls.machines)
      expect(r).toMatchObject({
        cluster: "toy",
        spot: false,
        arch: "amd64",
        tags: { team: "toys" },
        imageUpdates: "roll",
        // toycloud's own image shape, as toyos gave it, and toyos' own delivery for toycloud.
        image: { platform: "toycloud", kind: "toy-disk", disk: "toyos-edge-amd64" },
        delivery: { kind: "user-data", pointer: toyPointer },
      });
    // What toycloud made of them: one machine group each, in the site's network.
    const made = of("compute:MachineGroup");
    expect(made).toHaveLength(4);
    const group = (name: string) => made.find((g) => g.name === name)?.inputs;
    expect(
      cloud.calls.machines.map((r) => {
        const g = group(r.name);
        return [r.name, g?.role, [g?.size, g?.minSize, g?.maxSize], g?.disk, g?.network];
      }),
    ).toEqual([
      ["toy-control-plane", "control-plane", [1, 1, 1], "toyos-edge-amd64", "toy-net-id"],
      ["toy-control-plane-join", "control-plane-join", [2, 2, 2], "toyos-edge-amd64", "toy-net-id"],
      ["toy-worker-batch", "worker", [1, 0, 4], "toyos-edge-amd64", "toy-net-id"],
      ["toy-worker-general", "worker", [2, 2, 2], "toyos-edge-amd64", "toy-net-id"],
    ]);
  });

  it("hands toycloud every payload as a secret, stores it so, and gives machines only toyos' pointer", async () => {
    const configs = await resolved(cluster.nodeConfigs);
    expect(await pulumi.isSecret(cluster.nodeConfigs)).toBe(true);
    const keyOf = (r: MachinesRequest) =>
      r.role === "worker" ? `worker/${r.pool}` : (r.role as string);
    for (const r of cloud.calls.machines) {
      expect(await pulumi.isSecret(r.payload)).toBe(true);
      const payload = await resolved(r.payload);
      expect(configs[keyOf(r)]).toBe(payload);
      const object = of("storage:Object").find((o) => o.name === `${r.name}-payload`);
      expect(isSecretInput(object?.inputs.content)).toBe(true);
      expect(plain(object?.inputs.content)).toBe(payload);
      expect(object?.inputs).toMatchObject({ bucket: "toy-payloads-id", key: r.name });
      const group = of("compute:MachineGroup").find((g) => g.name === r.name);
      expect(isSecretInput(group?.inputs.userData)).toBe(false);
      expect(group?.inputs.userData).toBe(toyPointer(`toy://toy-payloads-id/${r.name}`, payload));
      expect(group?.inputs.userData).not.toContain("bootstrapToken");
    }
  });

  it("renders each group from its context alone: the same bytes twice, CA keys for control planes only", async () => {
    for (const r of cloud.calls.machines) {
      const payload = await resolved(r.payload);
      const told = JSON.parse(payload) as ToyPayload;
      expect(told).toMatchObject({ os: "toyos", channel: "edge", role: r.role });
      // What toyos was told, rendered again through the shared pipeline step: the same bytes.
      const again = renderNode(toyOs({ toyChannel: "edge" }), cloud, r.delivery, r.role, told.ctx);
      const twice = renderNode(toyOs({ toyChannel: "edge" }), cloud, r.delivery, r.role, told.ctx);
      expect(again.payload).toBe(payload);
      expect(twice.payload).toBe(payload);
      expect(again.bytes).toBe(Buffer.byteLength(payload));
      expect(again.limit).toEqual(TOY_OBJECT_LIMIT);
      expect(again.format).toBe("toyos-json");
      const ctx: BootstrapContext = told.ctx;
      expect(ctx).toMatchObject({
        clusterName: "toy",
        kubernetes: expect.objectContaining({ text: "1.35.2", minor: 35 }),
        platform: "toycloud",
        endpoint: { host: "toy.lb.toy-west-2.toycloud.test", port: 6443 },
        node: { pool: r.pool },
      });
      if (r.role === "worker") {
        expect(ctx.controlPlane).toBeUndefined();
        expect(payload).not.toContain("PRIVATE KEY");
      } else {
        expect(ctx.controlPlane?.ca.keyPem).toContain("PRIVATE KEY");
      }
    }
    expect(cluster.kubernetesVersion).toBe("1.35.2");
    expect(await resolved(cluster.endpoint)).toBe("https://toy.lb.toy-west-2.toycloud.test:6443");
  });

  it("exports toycloud's site ids in the cluster's join information", async () => {
    const ids: ToySiteIds = {
      region: "toy-west-2",
      network: "toy-net-id",
      bucket: "toy-payloads-id",
    };
    expect(await resolved(pulumi.output(cluster.site.ids))).toEqual(ids);
    expect((await resolved(cluster.join)).site).toEqual(ids);
    expect(await resolved(cluster.controlPlaneIps)).toEqual([
      "10.9.0.10",
      "10.9.0.11",
      "10.9.0.12",
    ]);
  });

  it("throws for a group the site was not planned with, before making anything", async () => {
    const request = cloud.calls.machines.find(
      (r) => r.name === "toy-worker-general",
    ) as MachinesRequest;
    const before = registered.length;
    const asked = cloud.calls.machines.length;
    expect(() => cluster.site.machines({ ...request, name: "toy-worker-ghost" })).toThrow(
      "minos: the toycloud site was asked for machines of toy-worker-ghost, which it was not planned with (toy-control-plane, toy-control-plane-join, toy-worker-batch, toy-worker-general)",
    );
    expect(cloud.calls.machines).toHaveLength(asked);
    await settle(registered);
    expect(registered).toHaveLength(before);
  });

  describe("a toyos NodeGroup joining it", () => {
    let group: NodeGroup;
    beforeAll(async () => {
      group = new NodeGroup("minos:toy:NodeGroup", "toyng", toyOs({ toyChannel: "edge" }), {
        cluster,
        nodePools: { extra: { count: 3, machineType: "toy-small" } },
        tags: { team: "more-toys" },
      });
      await resolved(group.nodeConfigs);
      await settle(registered);
    });

    it("goes through joinSite with the cluster's site ids, and never through site", async () => {
      expect(cloud.calls.site).toHaveLength(1);
      expect(cloud.calls.joinSite).toHaveLength(1);
      const join = cloud.calls.joinSite[0];
      expect(join?.info).toMatchObject({
        name: "toyng",
        sshEnabled: false,
        tags: { team: "more-toys" },
      });
      expect(join?.info.groups).toEqual([
        {
          name: "toyng-extra",
          role: "worker",
          pool: "extra",
          count: 3,
          maxCount: 3,
          firstIndex: 0,
          spot: false,
          machineType: "toy-small",
        },
      ]);
      expect(await resolved(pulumi.output(join?.info.ids))).toEqual(
        await resolved(pulumi.output(cluster.site.ids)),
      );
    });

    it("makes its machines in the cluster's network, its payload in the cluster's bucket", async () => {
      const request = cloud.calls.machines.at(-1) as MachinesRequest;
      expect(request).toMatchObject({
        name: "toyng-extra",
        role: "worker",
        count: 3,
        minCount: 3,
        maxCount: 3,
      });
      expect(request.image).toEqual({
        platform: "toycloud",
        kind: "toy-disk",
        disk: "toyos-edge-amd64",
      });
      const machines = of("compute:MachineGroup").filter((g) => g.name === "toyng-extra");
      expect(machines).toHaveLength(1);
      expect(machines[0]?.inputs).toMatchObject({
        region: "toy-west-2",
        network: "toy-net-id",
        size: 3,
        machineType: "toy-small",
      });
      const payload = await resolved(request.payload);
      expect(await pulumi.isSecret(request.payload)).toBe(true);
      const object = of("storage:Object").find((o) => o.name === "toyng-extra-payload");
      expect(object?.inputs).toMatchObject({ bucket: "toy-payloads-id", key: "toyng/toyng-extra" });
      expect(isSecretInput(object?.inputs.content)).toBe(true);
      expect(machines[0]?.inputs.userData).toBe(
        toyPointer("toy://toy-payloads-id/toyng/toyng-extra", payload),
      );
      // A worker's context, from the cluster's join information.
      const ctx = (JSON.parse(payload) as ToyPayload).ctx;
      const join = await resolved(cluster.join);
      expect(ctx.controlPlane).toBeUndefined();
      expect(ctx.endpoint).toEqual(join.endpoint);
      // Its pool's own token, made in the cluster through the cluster's provider.
      expect(ctx.join.bootstrapToken).toBe(poolTokenOf(registered, "toyng-extra").token);
      expect(ctx.join.caCertHash).toBe(join.caCertHash);
      expect(payload).toBe((await resolved(group.nodeConfigs))["worker/extra"]);
    });

    it("its join site throws for a group it was not planned with", () => {
      const site = cloud.calls.joinSite[0]?.site;
      const request = cloud.calls.machines.at(-1) as MachinesRequest;
      expect(() => site?.machines({ ...request, name: "toyng-other" })).toThrow(
        /toycloud join site was asked for machines of toyng-other, which it was not planned with \(toyng-extra\)/,
      );
    });

    it("is refused on toycloud by flatcar, which has no toycloud images", async () => {
      const before = registered.length;
      const error = thrown(
        () =>
          new NodeGroup("minos:test:NodeGroup", "fng", flatcarOs(), {
            cluster,
            nodePools: { a: { count: 1 } },
          }),
      );
      expect((error as MinosError).message).toBe(
        'minos: invalid cluster.platform: "toycloud"; flatcar runs on aws, gcp, kvm',
      );
      await settle(registered);
      expect(registered).toHaveLength(before);
    });
  });
});

describe("a payload too big for toycloud", () => {
  it("fails the deployment with the pipeline's error naming each group, and boots nothing with it", async () => {
    const registered = installMocks({ stack: "toy-big" });
    const cloud = toycloud();
    let big: Cluster | undefined;
    const failures = await deploymentErrors(registered, () => {
      big = toyCluster("big", {
        platform: cloud,
        padding: TOY_OBJECT_LIMIT.bytes,
        nodePools: { general: { count: 1 } },
      });
    });
    // The site was planned and asked, as for any cluster: the size is known once the secrets are.
    expect(cloud.calls.machines.map((r) => r.name)).toEqual([
      "big-control-plane",
      "big-worker-general",
    ]);
    for (const r of cloud.calls.machines) {
      const error = await failureOf(r.payload);
      expect(error).toBeInstanceOf(MinosError);
      expect(error).toMatchObject({
        argument: `${r.name} first-boot payload`,
        value: expect.stringMatching(/^\d+ bytes$/),
        allowed:
          "at most 65536 bytes fit the toycloud object-store limit; trim the OS's extra config",
      });
    }
    expect(await failureOf((big as Cluster).nodeConfigs)).toBeInstanceOf(MinosError);
    // What `pulumi up` reports: these errors, and no other.
    expect(failures.length).toBeGreaterThan(0);
    const said = new Set(
      failures.map((e) =>
        (e as Error).message.replace(/^(error serializing property "[^"]+": )+/, ""),
      ),
    );
    expect([...said].map((m) => m.replace(/"\d+ bytes"/, '"N bytes"')).sort()).toEqual(
      ["big-control-plane", "big-worker-general"].map(
        (g) =>
          `minos: invalid ${g} first-boot payload: "N bytes"; at most 65536 bytes fit the toycloud object-store limit; trim the OS's extra config`,
      ),
    );
    // Nothing booted with it: no machine group and no stored object was registered.
    expect(
      registered.filter(
        (r) => r.type === "toycloud:compute:MachineGroup" || r.type === "toycloud:storage:Object",
      ),
    ).toEqual([]);
  });
});
