/**
 * Pools that roll: under mocks, every OS's AWS pool carries an instance
 * refresh and every GCP pool a proactive update policy, with the bounds its
 * `rollout` asks for (or the defaults: new machines first, nothing
 * unavailable); a new image rolls a pool only where that is the OS's way of
 * taking a release.
 */
import { aws, eksCluster } from "@minos/aws";
import { amiParameter, BottlerocketNodeGroup } from "@minos/bottlerocket";
import { Cluster, poolImageUpdates } from "@minos/core";
import { FlatcarCluster, flatcarOs } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { beforeAll, describe, expect, it } from "vitest";
import { refreshBounds } from "../packages/aws/src/rollout.js";
import { EKS_FACTS as EKS } from "./support/eks.js";
import type { EveryOsRun } from "./support/every-os.js";
import { everyOs } from "./support/every-os.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { resolved } from "./support/pulumi-mocks.js";

const ASG = "aws:autoscaling/group:Group";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const MIG = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager";
const INSTANCE_TEMPLATE = "gcp:compute/instanceTemplate:InstanceTemplate";
const SYSEXT = { hashes: { "kubernetes-v1.37.1-x86-64.raw": `sha256-${"e".repeat(64)}` } };

/** The one resource of a type with this name. */
function named(registered: RegisteredResource[], type: string, name: string) {
  const found = registered.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0] as RegisteredResource;
}

/** What the engine is told to ignore for a resource of this name. */
function ignored(run: EveryOsRun, type: string, name: string): string[] {
  const node = run.graph.find((n) => n.type === type && n.name === name);
  expect(node, `${type} ${name}`).toBeDefined();
  return node?.ignoreChanges ?? [];
}

/** Waits until the engine hears of nothing new. */
async function settle(run: EveryOsRun): Promise<void> {
  for (let seen = -1; seen !== run.graph.length; ) {
    seen = run.graph.length;
    await new Promise((r) => setTimeout(r, 300));
  }
}

describe("what a new image does to a pool, by OS and osUpdates", () => {
  it.each([
    [true, "coordinated", "keep"],
    [true, "off", "keep"],
    [undefined, "coordinated", "roll"],
    [false, "off", "launch"],
  ] as const)("updatesInPlace %s, %s: %s", (updatesInPlace, mode, expected) => {
    expect(poolImageUpdates({ updatesInPlace }, { mode })).toBe(expected);
  });
});

describe("AWS refresh bounds from a rollout", () => {
  it.each([
    ["default, one machine", undefined, 1, [100, 200]],
    ["default, a few machines: one at least", undefined, 3, [100, 134]],
    ["default, a big pool: a tenth", undefined, 40, [100, 110]],
    ["a share of the pool", { maxSurge: { percent: 25 } }, 8, [100, 125]],
    // AWS rounds the healthy minimum up: 66% of 3 is 2 machines, one may go.
    ["one machine unavailable of three", { maxUnavailable: { machines: 1 } }, 3, [66, 134]],
    ["more than the pool", { maxSurge: { machines: 9 } }, 3, [100, 200]],
    // The default surge leaves room for the unavailable share within 100 points.
    ["most of it unavailable", { maxUnavailable: { percent: 95 } }, 2, [5, 105]],
    ["an empty pool counts as one", { maxSurge: { machines: 1 } }, 0, [100, 200]],
  ] as const)("%s", (_what, rollout, count, [min, max]) => {
    expect(refreshBounds(rollout, count)).toEqual({
      minHealthyPercentage: min,
      maxHealthyPercentage: max,
    });
  });
});

describe("AWS: every OS's pools roll with an instance refresh", () => {
  let run: EveryOsRun;
  beforeAll(async () => {
    run = await everyOs("aws", { stack: "rolling-aws" });
    const cluster = new FlatcarCluster("rollcfg", {
      platform: aws(),
      sysext: SYSEXT,
      nodePools: {
        quarter: { count: 4, rollout: { maxSurge: "25%", maxUnavailable: 1 } },
        one: { count: 3, rollout: { maxSurge: 1 } },
        big: { count: 20 },
        scaled: { count: 2, minCount: 1, maxCount: 6, rollout: { maxUnavailable: "50%" } },
      },
    });
    // Bottlerocket with updates off, joining EKS: a release must wait for new machines.
    const paused = new BottlerocketNodeGroup("paused", {
      cluster: eksCluster(EKS, { kubernetesVersion: "1.35.2", osUpdates: { mode: "off" } }),
      nodePools: { a: { count: 2 } },
    });
    const flatcarOff = new FlatcarCluster("fcoff", {
      platform: aws(),
      sysext: SYSEXT,
      osUpdates: { mode: "off" },
      nodePools: { a: { count: 1 } },
    });
    await Promise.all([cluster, paused, flatcarOff].map((c) => resolved(c.nodeConfigs)));
    await settle(run);
  });

  it.each([
    "flatcar-worker-general",
    "fcos-worker-general",
    "talos-worker-general",
    "bottlerocket-general",
  ])("%s: new machines first, nothing unavailable", (name) => {
    expect(named(run.registered, ASG, name).inputs.instanceRefresh).toEqual({
      strategy: "Rolling",
      preferences: {
        minHealthyPercentage: 100,
        maxHealthyPercentage: 200,
        instanceWarmup: "300",
        skipMatching: true,
      },
    });
  });

  it.each([
    ["quarter", 75, 125],
    ["one", 100, 134],
    ["big", 100, 110],
    ["scaled", 50, 150],
  ])("pool %s: the configured bounds", (pool, min, max) => {
    expect(named(run.registered, ASG, `rollcfg-worker-${pool}`).inputs.instanceRefresh).toEqual({
      strategy: "Rolling",
      preferences: {
        minHealthyPercentage: min,
        maxHealthyPercentage: max,
        instanceWarmup: "300",
        skipMatching: true,
      },
    });
  });

  it("a new template version is what starts a refresh: the group names the latest", () => {
    const asg = named(run.registered, ASG, "flatcar-worker-general").inputs;
    const template = named(run.registered, LAUNCH_TEMPLATE, "flatcar-worker-general").inputs;
    expect(template.updateDefaultVersion).toBe(true);
    expect(asg.launchTemplate).toMatchObject({ id: "flatcar-worker-general-id" });
    expect((asg.launchTemplate as { version: unknown }).version).toBeDefined();
  });

  it("Flatcar and FCOS pools keep their AMI, coordinated or off: the nodes update themselves", () => {
    for (const name of ["flatcar-worker-general", "fcos-worker-general", "fcoff-worker-a"])
      expect(ignored(run, LAUNCH_TEMPLATE, name)).toContain("imageId");
  });

  it("Talos and Bottlerocket pools follow their AMI: a new one rolls them", () => {
    for (const name of ["talos-worker-general", "bottlerocket-general"])
      expect(ignored(run, LAUNCH_TEMPLATE, name)).not.toContain("imageId");
    // The AMI looked up from the id the SSM parameter held (the mocks' answer), not the parameter.
    expect(named(run.registered, LAUNCH_TEMPLATE, "bottlerocket-general").inputs.imageId).toBe(
      "ami-0f1a7ca70000000a1",
    );
  });

  it("Bottlerocket with updates off names its SSM parameter, resolved as each machine launches", () => {
    const template = named(run.registered, LAUNCH_TEMPLATE, "paused-a");
    expect(template.inputs.imageId).toBe(`resolve:ssm:${amiParameter("aws-k8s-1.35", "amd64")}`);
    expect(ignored(run, LAUNCH_TEMPLATE, "paused-a")).not.toContain("imageId");
    // It still rolls for what the program changes (settings, instance type).
    expect(named(run.registered, ASG, "paused-a").inputs.instanceRefresh).toMatchObject({
      preferences: { minHealthyPercentage: 100, maxHealthyPercentage: 150 },
    });
  });
});

describe("GCP: every OS's pools roll with a proactive update policy", () => {
  let run: EveryOsRun;
  beforeAll(async () => {
    run = await everyOs("gcp", { stack: "rolling-gcp" });
    const cluster = new FlatcarCluster("rollcfg", {
      platform: gcp({ region: "europe-west1" }),
      sysext: SYSEXT,
      nodePools: {
        fixed: { count: 6, rollout: { maxSurge: 6, maxUnavailable: 3 } },
        share: { count: 12, rollout: { maxSurge: "20%" } },
        down: { count: 3, rollout: { maxSurge: 0, maxUnavailable: 3 } },
      },
    });
    // An OS that does not update in place, with a GCE family and updates off.
    const noAgent = new Cluster(
      "minos:test:Cluster",
      "noagent",
      { ...flatcarOs({ sysext: SYSEXT }), updatesInPlace: false },
      {
        platform: gcp({ region: "europe-west1" }),
        osUpdates: { mode: "off" },
        nodePools: { a: { count: 1 } },
      },
    );
    await Promise.all([cluster, noAgent].map((c) => resolved(c.nodeConfigs)));
    await settle(run);
  });

  it.each(["flatcar-worker-general", "fcos-worker-general", "talos-worker-general"])(
    "%s: one new machine per zone first, nothing unavailable",
    (name) => {
      // The mocks answer four zones for the region; the group spans three.
      expect(named(run.registered, MIG, name).inputs.updatePolicy).toEqual({
        type: "PROACTIVE",
        minimalAction: "REPLACE",
        replacementMethod: "SUBSTITUTE",
        maxSurgeFixed: 3,
        maxUnavailableFixed: 0,
      });
    },
  );

  it.each([
    ["fixed", { maxSurgeFixed: 6, maxUnavailableFixed: 3 }],
    ["share", { maxSurgePercent: 20, maxUnavailableFixed: 0 }],
    ["down", { maxSurgeFixed: 0, maxUnavailableFixed: 3 }],
  ])("pool %s: the configured surge and unavailable", (pool, amounts) => {
    expect(named(run.registered, MIG, `rollcfg-worker-${pool}`).inputs.updatePolicy).toEqual({
      type: "PROACTIVE",
      minimalAction: "REPLACE",
      replacementMethod: "SUBSTITUTE",
      ...amounts,
    });
  });

  it("every group is pinned to the region's first three zones by name, so a surge of 3 is what GCE accepts", () => {
    // The mocks answer europe-west1's zones as f, c, a, b.
    for (const name of ["flatcar-worker-general", "talos-worker-general", "rollcfg-worker-fixed"])
      expect(named(run.registered, MIG, name).inputs.distributionPolicyZones).toEqual([
        "europe-west1-a",
        "europe-west1-b",
        "europe-west1-c",
      ]);
  });

  it("the group runs the template's unique link: any change to the template is a new version", () => {
    const mig = named(run.registered, MIG, "talos-worker-general").inputs;
    expect(mig.versions).toEqual([
      { instanceTemplate: expect.stringContaining("talos-worker-general"), name: "primary" },
    ]);
  });

  it("Flatcar and FCOS templates keep their boot image; Talos's follow its release", () => {
    for (const name of ["flatcar-worker-general", "fcos-worker-general"])
      expect(ignored(run, INSTANCE_TEMPLATE, name)).toContain("disks[0].sourceImage");
    expect(ignored(run, INSTANCE_TEMPLATE, "talos-worker-general")).not.toContain(
      "disks[0].sourceImage",
    );
  });

  it("with updates off, a family image is resolved as each machine is made", () => {
    const template = named(run.registered, INSTANCE_TEMPLATE, "noagent-worker-a").inputs;
    expect((template.disks as { sourceImage: string }[])[0]?.sourceImage).toBe(
      "projects/kinvolk-public/global/images/family/flatcar-stable",
    );
    expect(ignored(run, INSTANCE_TEMPLATE, "noagent-worker-a")).not.toContain(
      "disks[0].sourceImage",
    );
  });
});
