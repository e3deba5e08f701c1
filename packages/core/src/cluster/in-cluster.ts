import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { cilium } from "../addons/cilium.js";
import { flannel } from "../addons/flannel.js";
import type { NodeOs, WorkerToken } from "../contracts/node-os.js";
import type { Platform, SiteIds } from "../contracts/platform.js";
import type { ApiReadinessArgs } from "../readiness/api-readiness.js";
import { ApiReadiness } from "../readiness/api-readiness.js";
import type { PoolToken } from "../secrets/pool-token.js";
import { poolTokenSecret } from "../secrets/pool-token.js";
import type { GroupPlan } from "./pipeline.js";
import type { ResolvedCluster } from "./resolve.js";

/** What a cluster makes through its own API, and what it needs to. */
export interface InClusterArgs {
  /** The cluster's name, which prefixes each resource's. */
  name: string;
  os: NodeOs;
  /** The platform, whose own add-ons go in beside the OS's. */
  platform: Platform;
  /** The cluster's site ids, which the platform's add-ons are given. */
  siteIds: pulumi.Input<SiteIds>;
  cluster: ResolvedCluster;
  /** The cluster's machine groups, in creation order. */
  plan: readonly GroupPlan[];
  /** Each worker pool's token by pool, made before its machines; none where the OS takes none. */
  tokens: Record<string, PoolToken>;
  /** What the OS's workers do with them. */
  workerToken: WorkerToken;
  /** The group the tokens carry, which the cluster's control plane binds node bootstrapping to. */
  bootstrapTokenGroup: string;
  /** How the readiness gates reach the API as the admin, and what their timeout error says. */
  gate: ApiReadinessArgs;
  /** `nodes`: the program's provider waits for every planned node to be Ready; `api`: for the API. */
  waitFor: "api" | "nodes";
  /** The admin kubeconfig both providers use. */
  kubeconfig: pulumi.Output<string>;
  /** What the API needs to answer: its whole path, and the OS's steps after the control plane. */
  apiAfter: pulumi.Resource[];
  parent: pulumi.Resource;
}

/** What a cluster made through its API. */
export interface InCluster {
  /** Exists once the API server answers `/readyz`. */
  ready: ApiReadiness;
  /** Exists once every planned node reports Ready (unless `waitFor` is `api`). */
  nodesReady: ApiReadiness | undefined;
  /** The provider for the program's workloads, behind the gate it waits for. */
  provider: k8s.Provider;
  /** The CNI minos installed, the OS's add-ons and the platform's. */
  addons: pulumi.Resource[];
  /** Each pool's bootstrap token Secret by pool name. */
  poolTokens: Record<string, k8s.core.v1.Secret>;
}

/**
 * What a cluster makes in itself once its API answers, in order: the gate
 * that waits for `/readyz` (after the API's whole path), a bootstrap
 * provider behind it, each pool's token Secret, the CNI, the OS's add-ons
 * and the platform's; then the gate that waits for every planned node to be Ready, and
 * the provider the program gets behind it. Both providers depend on the
 * first gate, and through it on the API's path: a destroy deletes every
 * Kubernetes object while the API still answers.
 */
export function inCluster(args: InClusterArgs): InCluster {
  const { name, os, platform, cluster, parent, kubeconfig } = args;
  const ready = new ApiReadiness(`${name}-api-ready`, args.gate, {
    parent,
    dependsOn: args.apiAfter,
  });
  // The CNI goes in as soon as the API answers: nodes cannot be Ready without it.
  const bootstrapProvider = new k8s.Provider(
    `${name}-k8s-bootstrap`,
    { kubeconfig },
    { parent, dependsOn: [ready] },
  );
  const addonOpts = { parent, provider: bootstrapProvider };
  // Each pool's token is valid once its Secret exists. Workers boot beside
  // the control plane and wait for it (kubeadm's discovery polls for the
  // token's signature, a kubelet retries its TLS bootstrap), so machines do
  // not depend on it: Talos's config step, which the API gate waits for,
  // needs the workers' machines.
  const poolTokens: Record<string, k8s.core.v1.Secret> = {};
  const { workerToken } = args;
  if (workerToken !== "none")
    for (const { group, planned } of args.plan) {
      const pool = group.settings.pool;
      const token = args.tokens[pool];
      if (planned.role !== "worker" || !token) continue;
      poolTokens[pool] = poolTokenSecret(
        planned.name,
        token,
        {
          pool,
          owner: name,
          use: workerToken,
          group: args.bootstrapTokenGroup,
          ...(group.bootstrapToken?.expiresAt !== undefined && {
            expiresAt: group.bootstrapToken.expiresAt,
          }),
        },
        addonOpts,
      );
    }
  const cniAddons =
    cluster.cni.deployedBy !== "minos"
      ? []
      : cluster.cni.plugin === "flannel"
        ? flannel(name, cluster.podCidr, addonOpts)
        : cilium(name, os.ciliumValues ?? {}, addonOpts);
  // The OS's update coordinator; nodes are Ready without it.
  const osAddons =
    os.addons?.({
      name,
      serviceCidr: cluster.serviceCidr,
      osUpdates: cluster.osUpdates,
      opts: addonOpts,
    }) ?? [];
  // What the platform gives workloads; the nodes-ready gate waits for it, since
  // with the external cloud provider only the controller initializes a node.
  const platformAddons =
    platform.addons?.({
      name,
      ...(cluster.localVolumes !== undefined && { localVolumePath: cluster.localVolumes }),
      services: cluster.services,
      kubernetes: cluster.kubernetes,
      ids: args.siteIds,
      podCidr: cluster.podCidr,
      opts: addonOpts,
    }) ?? [];
  // Then, unless told otherwise, every node of the plan must report Ready.
  const expectedNodes = args.plan.reduce((n, p) => n + p.planned.count, 0);
  const nodesReady =
    args.waitFor === "nodes"
      ? new ApiReadiness(
          `${name}-nodes-ready`,
          { ...args.gate, waitFor: "nodes", expectedNodes },
          {
            parent,
            dependsOn: [ready, ...cniAddons, ...platformAddons, ...Object.values(poolTokens)],
          },
        )
      : undefined;
  // Workloads wait for the platform's controllers too, whatever the gate: on
  // destroy their load balancers and claims go while those controllers run.
  const provider = new k8s.Provider(
    `${name}-k8s`,
    { kubeconfig },
    { parent, dependsOn: [nodesReady ?? ready, ...platformAddons] },
  );
  return {
    ready,
    nodesReady,
    provider,
    addons: [...cniAddons, ...osAddons, ...platformAddons],
    poolTokens,
  };
}
