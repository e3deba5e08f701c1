import * as pulumi from "@pulumi/pulumi";
import type { Arch, BootstrapContext, NodeRole } from "../contracts/bootstrap.js";
import type { ConfigDelivery, ImageRef } from "../contracts/image.js";
import type { NodeOs, RenderedGroup } from "../contracts/node-os.js";
import type { Machines, PlannedGroup, PlatformDescription, Site } from "../contracts/platform.js";
import type { ImageUpdates } from "../contracts/rollout.js";
import { fittingPayload, renderNode } from "./render-node.js";
import type { ResolvedCluster } from "./resolve.js";
import type { ResolvedGroup } from "./resolve-groups.js";

/** One machine group as planned, with the resolved settings its nodes render from. */
export interface GroupPlan {
  /** `control-plane`, `control-plane-join` or `worker/<pool>`. */
  key: string;
  group: ResolvedGroup;
  planned: PlannedGroup;
}

/** What every group of one cluster or node group shares. */
export interface GroupsCommon {
  /** The cluster's (or node group's) name. */
  cluster: string;
  arch: Arch;
  image: ImageRef;
  tags: Record<string, string>;
  /** What a new image does to running pool machines (see `poolImageUpdates`). */
  imageUpdates: ImageUpdates;
}

/** What the groups became: payloads, redacted payloads, machines. */
export interface ProvisionedGroups {
  /** Payload per group key (secret). */
  configs: Record<string, pulumi.Output<string>>;
  /** How each group's payload reaches its machines, per group key. */
  deliveries: Record<string, ConfigDelivery>;
  /** Redacted payload per group key, `""` where the OS has none (not secret). */
  redacted: Record<string, pulumi.Output<string>>;
  /** Machines per group key; none for a pool whose maxCount is 0. */
  machines: Record<string, Machines>;
  /** Every group with machines, in plan order. */
  rendered: RenderedGroup[];
}

/**
 * Renders each planned group once and asks the site for its machines: the
 * one provisioning loop behind every minos component.
 *
 * @param workersAfter What worker machines wait for (a cluster's version
 *   gate): their payload reaches the site only once it resolves, so they
 *   depend on it. The payloads themselves, as `configs` and `rendered` hold
 *   them, do not wait.
 */
export function provisionGroups(
  os: NodeOs,
  platform: PlatformDescription,
  site: Site,
  common: GroupsCommon,
  plan: readonly GroupPlan[],
  context: (role: NodeRole, group: ResolvedGroup) => pulumi.Output<BootstrapContext>,
  workersAfter?: pulumi.Output<unknown>,
): ProvisionedGroups {
  const out: ProvisionedGroups = {
    configs: {},
    deliveries: {},
    redacted: {},
    machines: {},
    rendered: [],
  };
  for (const { key, group, planned } of plan) {
    // Per role: an OS may hand one role's payload over its own API instead.
    const delivery = os.delivery(platform.name, planned.role);
    const config = context(planned.role, group).apply((ctx) =>
      fittingPayload(planned.name, renderNode(os, platform, delivery, planned.role, ctx)),
    );
    const payload = pulumi.secret(config.payload);
    out.configs[key] = payload;
    out.deliveries[key] = delivery;
    // Keys and tokens are fingerprints in it: safe to show in plain text.
    out.redacted[key] = pulumi.unsecret(config.apply((c) => c.redacted ?? ""));
    if (planned.maxCount === 0) continue;
    const machines = site.machines({
      ...common,
      ...planned,
      delivery,
      minCount: planned.role === "worker" ? group.minCount : planned.count,
      diskGiB: group.diskGiB,
      payload:
        planned.role === "worker" && workersAfter
          ? pulumi.secret(pulumi.all([payload, workersAfter]).apply(([p]) => p))
          : payload,
    });
    out.machines[key] = machines;
    out.rendered.push({
      key,
      role: planned.role,
      payload,
      privateIps: machines.privateIps ?? pulumi.output([]),
      machines: machines.resources,
    });
  }
  return out;
}

/**
 * One machine group as planned: machines named `<prefix>-<suffix>` (the key
 * with `/` as `-` unless given) of one role. The control plane has a fixed
 * size; worker pools keep their autoscaling bounds.
 */
export function planGroup(
  prefix: string,
  key: string,
  role: NodeRole,
  group: ResolvedGroup,
  placement: { count: number; firstIndex: number; suffix?: string },
): GroupPlan {
  return {
    key,
    group,
    planned: {
      name: `${prefix}-${placement.suffix ?? key.replace("/", "-")}`,
      role,
      pool: group.settings.pool,
      count: placement.count,
      maxCount: role === "worker" ? group.maxCount : placement.count,
      firstIndex: placement.firstIndex,
      spot: group.spot,
      ...(group.machineType !== undefined && { machineType: group.machineType }),
      ...(role === "worker" && group.rollout && { rollout: group.rollout }),
    },
  };
}

/**
 * Worker pools as planned: a cluster's are `<cluster>-worker-<pool>`, a node
 * group's `<group>-<pool>`.
 */
export function planPools(
  prefix: string,
  pools: readonly ResolvedGroup[],
  naming: "cluster" | "node-group",
): GroupPlan[] {
  return pools.map((p) =>
    planGroup(prefix, `worker/${p.settings.pool}`, "worker", p, {
      count: p.count,
      firstIndex: 0,
      ...(naming === "node-group" && { suffix: p.settings.pool }),
    }),
  );
}

/** The machine groups of a cluster, in creation order: init node, joining control plane, pools. */
export function planClusterGroups(name: string, cluster: ResolvedCluster): GroupPlan[] {
  const cp = cluster.controlPlane;
  return [
    planGroup(name, "control-plane", "control-plane", cp, { count: 1, firstIndex: 0 }),
    ...(cp.count > 1
      ? [
          planGroup(name, "control-plane-join", "control-plane-join", cp, {
            count: cp.count - 1,
            firstIndex: 1,
          }),
        ]
      : []),
    ...planPools(name, cluster.pools, "cluster"),
  ];
}
