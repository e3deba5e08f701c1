import * as pulumi from "@pulumi/pulumi";
import type { Arch, BootstrapContext, PlatformName } from "../contracts/bootstrap.js";
import { ARCHES } from "../contracts/bootstrap.js";
import type { ClusterRequest, NodeOs } from "../contracts/node-os.js";
import type { Machines } from "../contracts/platform.js";
import { MinosError } from "../errors.js";
import { validateSshKeys } from "../validation/node-settings.js";
import type { NodePoolArgs } from "./args.js";
import { Cluster, rollsPools } from "./cluster.js";
import type { JoinInfo } from "./join-info.js";
import { machineRequest, planGroup } from "./machine-request.js";
import { type ResolvedGroup, resolvePools } from "./resolve.js";

/** Worker machines that join a cluster they did not create. */
export interface NodeGroupArgs {
  /**
   * The minos cluster to join, made in this program: its join information,
   * platform and network (the pools land in the cluster's network, subnets
   * and firewall).
   */
  cluster: Cluster;
  /** Worker pools by name. At least one. */
  nodePools: Record<string, NodePoolArgs>;
  /** CPU architecture. Default `amd64`. */
  arch?: Arch;
  /** SSH public keys for the OS's login user. Default none. */
  sshAuthorizedKeys?: string[];
  /** Tags (labels on GCP) on every resource. Default none. */
  tags?: Record<string, string>;
}

/**
 * Worker pools of one NodeOs joining an existing cluster through its join
 * information. OS packages subclass it (`BottlerocketNodeGroup`).
 */
export class NodeGroup extends pulumi.ComponentResource {
  /** Rendered worker payloads by `worker/<pool>` (secret). */
  readonly nodeConfigs: pulumi.Output<Record<string, string>>;
  /** Machines per pool. */
  readonly machines: Record<string, Machines>;

  constructor(
    type: string,
    name: string,
    os: NodeOs,
    args: NodeGroupArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    if (!(args?.cluster instanceof Cluster))
      throw new MinosError("cluster", args?.cluster, "pass a minos cluster made in this program");
    const platform = args.cluster.platform;
    if (!os.platforms.includes(platform.name)) {
      throw new MinosError(
        "cluster.platform",
        platform.name,
        `${os.name} runs on ${os.platforms.join(", ")}`,
      );
    }
    const arch = args.arch ?? "amd64";
    if (!ARCHES.includes(arch)) throw new MinosError("arch", arch, `use ${ARCHES.join(" or ")}`);
    os.validate?.(joinRequest(args.cluster, arch));
    const pools = resolvePools(
      args.nodePools,
      validateSshKeys("sshAuthorizedKeys", args.sshAuthorizedKeys),
    );
    if (pools.length === 0)
      throw new MinosError("nodePools", args.nodePools, "name at least one pool");
    super(type, name, {}, opts);

    const join = args.cluster.join;
    const common = {
      cluster: name,
      arch,
      image: os.image(platform.name, arch, { name, parent: this }),
      delivery: os.delivery(platform.name),
      network: args.cluster.network,
      tags: args.tags ?? {},
      roll: rollsPools(os, args.cluster.osUpdates),
    };
    const configs: Record<string, pulumi.Output<string>> = {};
    this.machines = {};
    for (const pool of pools) {
      const key = `worker/${pool.settings.pool}`;
      const payload = pulumi.secret(
        join.apply((j) => os.render("worker", joinContext(j, platform.name, arch, pool)).payload),
      );
      configs[key] = payload;
      if (pool.maxCount === 0) continue;
      this.machines[key] = platform.machines(
        machineRequest(
          common,
          planGroup(name, pool.settings.pool, "worker", pool, { count: pool.count, firstIndex: 0 }),
          pool,
          payload,
        ),
        this,
      );
    }
    this.nodeConfigs = pulumi.secret(pulumi.all(configs));
    this.registerOutputs({ nodeConfigs: this.nodeConfigs });
  }
}

/** What a node group asks of its OS when joining a cluster: that cluster's facts, its own arch. */
export function joinRequest(cluster: Cluster, arch: Arch): ClusterRequest {
  return {
    kubernetesVersion: cluster.kubernetesVersion,
    arch,
    osUpdates: cluster.osUpdates,
    cni: cluster.cni,
  };
}

/** A worker's bootstrap context from another cluster's join information. */
function joinContext(
  j: JoinInfo,
  platform: PlatformName,
  arch: Arch,
  pool: ResolvedGroup,
): BootstrapContext {
  return {
    clusterName: j.clusterName,
    kubernetesVersion: j.kubernetesVersion,
    endpoint: j.endpoint,
    podCidr: j.podCidr,
    serviceCidr: j.serviceCidr,
    certSans: [],
    platform,
    arch,
    join: { caCertPem: j.caCertPem, bootstrapToken: j.bootstrapToken, caCertHash: j.caCertHash },
    node: pool.settings,
    osUpdates: j.osUpdates,
  };
}
