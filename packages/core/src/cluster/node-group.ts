import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Arch } from "../contracts/bootstrap.js";
import { ARCHES } from "../contracts/bootstrap.js";
import type { ConfigDelivery } from "../contracts/image.js";
import type { NodeOs } from "../contracts/node-os.js";
import type { Machines, Platform } from "../contracts/platform.js";
import { MinosError } from "../errors.js";
import type { PoolToken } from "../secrets/pool-token.js";
import { KUBEADM_NODE_TOKEN_GROUP, poolToken, poolTokenSecret } from "../secrets/pool-token.js";
import { optionKeys, refuseUnknownKeys } from "../validation/keys.js";
import { validateClusterName } from "../validation/names.js";
import { validateSshKeys } from "../validation/node-settings.js";
import { validateTags } from "../validation/tags.js";
import { checkKubeletSkew } from "../version-skew.js";
import type { NodePoolArgs } from "./args.js";
import type { ClusterRef } from "./cluster-ref.js";
import { checkClusterRef, joinRequest } from "./cluster-ref.js";
import { joinContext } from "./context.js";
import { poolImageUpdates } from "./image-updates.js";
import { localVolumesOf } from "./local-volumes.js";
import { planPools, provisionGroups } from "./pipeline.js";
import { resolvePools } from "./resolve-groups.js";

/** Worker machines that join a cluster they did not create. */
export interface NodeGroupArgs {
  /**
   * The cluster to join: a minos cluster (made in this program), or any
   * `ClusterRef` (one made in another stack, or EKS).
   */
  cluster: ClusterRef;
  /** Worker pools by name. At least one. */
  nodePools: Record<string, NodePoolArgs>;
  /** CPU architecture. Default `amd64`. */
  arch?: Arch;
  /** SSH public keys for the OS's login user. Default none. */
  sshAuthorizedKeys?: string[];
  /** Tags (labels on GCP) on every resource. Default none. */
  tags?: Record<string, string>;
}

const NODE_GROUP_KEYS = optionKeys<NodeGroupArgs>({
  cluster: true,
  nodePools: true,
  arch: true,
  sshAuthorizedKeys: true,
  tags: true,
});

/**
 * Worker pools of one NodeOs joining an existing cluster through its join
 * information, through the same pipeline as a cluster's own pools. OS
 * packages subclass it (`BottlerocketNodeGroup`).
 */
export class NodeGroup extends pulumi.ComponentResource {
  /** Rendered worker payloads by `worker/<pool>` (secret). */
  readonly nodeConfigs: pulumi.Output<Record<string, string>>;
  /** Machines per pool. */
  readonly machines: Record<string, Machines>;
  /** The platform the pools run on. */
  readonly platform: Platform;
  /** How the nodes get their first-boot payloads (the OS's delivery on the platform). */
  readonly delivery: ConfigDelivery;
  /**
   * Each pool's bootstrap token Secret (`kube-system/bootstrap-token-<id>`)
   * by pool name, made through the cluster's provider; none where the
   * pools take no token.
   */
  readonly poolTokens: Record<string, k8s.core.v1.Secret>;

  constructor(
    type: string,
    name: string,
    os: NodeOs,
    args: NodeGroupArgs,
    opts?: pulumi.ComponentResourceOptions,
    ownOutputs?: (group: NodeGroup) => pulumi.Inputs,
  ) {
    // Its name prefixes every machine's, as a cluster's does: the same rules.
    validateClusterName("name", name);
    refuseUnknownKeys("", args ?? {}, NODE_GROUP_KEYS);
    const ref = checkClusterRef(args?.cluster);
    const { platform } = ref;
    if (!os.platforms.includes(platform.name)) {
      throw new MinosError(
        "cluster.platform",
        platform.name,
        `${os.name} runs on ${os.platforms.join(", ")}`,
      );
    }
    const arch = args.arch ?? "amd64";
    if (!ARCHES.includes(arch)) throw new MinosError("arch", arch, `use ${ARCHES.join(" or ")}`);
    os.validate?.(joinRequest(ref, arch));
    const sshKeys = validateSshKeys("sshAuthorizedKeys", args.sshAuthorizedKeys);
    const pools = resolvePools(args.nodePools, sshKeys);
    if (pools.length === 0)
      throw new MinosError("nodePools", args.nodePools, "name at least one pool");
    const workerToken = os.workerToken ?? "kubeadm";
    // A cluster that admits nodes by their platform identity has no use for a token.
    if (ref.nodeAuth === "platform" && workerToken !== "none")
      throw new MinosError(
        "cluster.nodeAuth",
        ref.nodeAuth,
        `${os.name} workers join with a bootstrap token, and this cluster admits nodes by their platform identity; join it with an OS whose workers take none (Bottlerocket)`,
      );
    if (workerToken === "none") {
      const given = pools.find((p) => p.bootstrapToken !== undefined);
      if (given)
        throw new MinosError(
          `nodePools.${given.settings.pool}.bootstrapToken`,
          args.nodePools[given.settings.pool]?.bootstrapToken,
          `leave it unset: ${os.name} workers here join without a bootstrap token`,
        );
    } else if (ref.provider === undefined)
      throw new MinosError(
        "cluster.provider",
        undefined,
        "pass a Kubernetes provider for the cluster (a minos cluster's own, or one made from its kubeconfig): each pool's bootstrap token is made in it",
      );
    const plan = planPools(name, pools, "node-group");
    const tags = validateTags("tags", args.tags);
    const clusterName = ref.name ?? name;
    const join = pulumi.output(ref.join);
    platform.validate?.({
      name,
      controlPlaneCount: 0,
      apiPort: 0,
      controlPlanePorts: [],
      sshEnabled: sshKeys.length > 0,
      tags,
      arch,
      groups: plan.map((g) => g.planned),
    });
    super(type, name, {}, opts);
    this.platform = platform;
    this.delivery = os.delivery(platform.name);
    const localVolumes = localVolumesOf(platform, os);

    // Each pool's own token, valid once its Secret exists in the cluster;
    // the pool's payload, and so its machines, wait for that Secret.
    const tokens: Record<string, { token: PoolToken; secret: k8s.core.v1.Secret }> = {};
    this.poolTokens = {};
    if (workerToken !== "none")
      for (const { group, planned } of plan) {
        const pool = group.settings.pool;
        const token = poolToken(planned.name, group.bootstrapToken?.generation ?? 0, {
          parent: this,
        });
        const secret = poolTokenSecret(
          planned.name,
          token,
          {
            pool,
            owner: name,
            use: workerToken,
            group: join.apply((j) => j.bootstrapTokenGroup ?? KUBEADM_NODE_TOKEN_GROUP),
            ...(group.bootstrapToken?.expiresAt !== undefined && {
              expiresAt: group.bootstrapToken.expiresAt,
            }),
          },
          { parent: this, provider: ref.provider },
        );
        tokens[pool] = { token, secret };
        this.poolTokens[pool] = secret;
      }

    const site = platform.joinSite(
      {
        name,
        cluster: clusterName,
        // Network ids, not secrets: plain, so the machines' inputs stay readable.
        ids: pulumi.unsecret(join.apply((j) => j.site)),
        tags,
        sshEnabled: sshKeys.length > 0,
        groups: plan.map((g) => g.planned),
      },
      this,
    );
    const provisioned = provisionGroups(
      os,
      platform,
      site,
      {
        cluster: clusterName,
        arch,
        image: os.image(platform.name, arch, { name, parent: this }),
        tags,
        imageUpdates: poolImageUpdates(os, ref.osUpdates),
      },
      plan,
      // The cluster's control plane runs join's release (its version gate's):
      // a group asking for a release it cannot run beside it stops here,
      // before any machine takes a payload.
      (_role, pool) => {
        const own = tokens[pool.settings.pool];
        // The Secret's URN resolves once it is made, and carries it as a dependency.
        return pulumi
          .all([join, own?.token.token ?? "", own?.secret.urn ?? ""])
          .apply(([j, token]) => {
            checkKubeletSkew(
              "cluster.kubernetesVersion",
              ref.kubernetesVersion,
              j.kubernetesVersion,
            );
            return joinContext(j, platform.name, arch, pool, token, localVolumes);
          });
      },
    );
    this.machines = provisioned.machines;
    this.nodeConfigs = pulumi.secret(pulumi.all(provisioned.configs));
    this.registerOutputs({ nodeConfigs: this.nodeConfigs, ...ownOutputs?.(this) });
  }
}
