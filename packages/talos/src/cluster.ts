import type { ClusterArgs } from "@minos/core";
import { Cluster, MinosError } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import { EtcdBootstrap } from "./etcd-bootstrap.js";
import type { TalosNodeOs, TalosOptions } from "./node-os.js";
import { talosOs } from "./node-os.js";
import type { TalosSecretMaterial } from "./secrets.js";
import { renderTalosconfig } from "./talosconfig.js";

/** Arguments of a TalosCluster: the shared cluster arguments plus Talos's own. */
export interface TalosClusterArgs extends ClusterArgs, TalosOptions {}

/**
 * A Kubernetes cluster of Talos Linux nodes. minos makes Talos's secrets and
 * machine configs itself, hands each node its config at first boot, and
 * bootstraps etcd over Talos's API once the first control-plane node is up;
 * Talos deploys Flannel. No SSH: `talosconfig` is how an operator reaches the
 * nodes.
 *
 * ```ts
 * const cluster = new TalosCluster("dev", {
 *   platform: kvm({}),
 *   nodePools: { general: { count: 2 } },
 * });
 * export const talosconfig = cluster.talosconfig;
 * export const kubeconfig = cluster.kubeconfig;
 * ```
 */
export class TalosCluster extends Cluster {
  /** A talosconfig for `talosctl`, as `os:admin` (secret). */
  readonly talosconfig: pulumi.Output<string>;
  /** `bootstrapped`, or `already-bootstrapped` when etcd had data already. */
  readonly etcdBootstrap: pulumi.Output<string>;
  /** The Talos release the nodes run (with coordinated updates, moved over Talos's API when it changes). */
  readonly talosVersion: string;

  constructor(name: string, args: TalosClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    refuseSsh(args);
    const os: TalosNodeOs = talosOs(args);
    refuseStrayPoolPatches(args);
    // Made once the cluster is, and registered with its outputs.
    const own: { outputs?: TalosOutputs } = {};
    super("minos:talos:TalosCluster", name, os, args, opts, (cluster) => {
      own.outputs = talosOutputs(name, cluster);
      return { ...own.outputs, talosVersion: os.talosVersion };
    });
    this.talosVersion = os.talosVersion;
    if (!own.outputs) throw new Error("minos: the Talos outputs were not made");
    this.talosconfig = own.outputs.talosconfig;
    this.etcdBootstrap = own.outputs.etcdBootstrap;
    if (args.platform.name === "kvm" && args.kvmImageSha256 === undefined) {
      pulumi.log.warn(
        "The Talos NoCloud image is trusted on HTTPS alone: the Image Factory publishes no digests. " +
          "Pin it with kvmImageSha256 (sha256sum of the nocloud .raw.xz you checked).",
        this,
      );
    }
  }
}

/** What a TalosCluster exposes besides every cluster's outputs. */
interface TalosOutputs {
  talosconfig: pulumi.Output<string>;
  etcdBootstrap: pulumi.Output<string>;
}

function talosOutputs(name: string, cluster: Cluster): TalosOutputs {
  const secrets = cluster.osSecrets as pulumi.Output<TalosSecretMaterial>;
  return {
    talosconfig: pulumi.secret(
      pulumi
        .all([secrets, cluster.endpoint, cluster.controlPlaneIps])
        .apply(([s, endpoint, nodes]) =>
          renderTalosconfig({
            context: name,
            // apid answers through the clouds' load balancers; on KVM only on the nodes
            // (a virtual address lives by etcd, so it cannot be talosctl's way in).
            endpoints: cluster.platform.name === "kvm" ? nodes : [new URL(endpoint).hostname],
            nodes,
            caCertPem: s.osCa.certPem,
            clientCertPem: s.admin.certPem,
            clientKeyPem: s.admin.keyPem,
          }),
        ),
    ),
    etcdBootstrap:
      cluster.osResources.find((r): r is EtcdBootstrap => r instanceof EtcdBootstrap)?.outcome ??
      pulumi.output(""),
  };
}

/** Patches for a pool the cluster does not have would never apply: a typo, most likely. */
function refuseStrayPoolPatches(args: TalosClusterArgs): void {
  const pools = typeof args.nodePools === "object" && args.nodePools !== null ? args.nodePools : {};
  const names = Object.keys(pools);
  for (const [pool, patches] of Object.entries(args.configPatches?.pools ?? {}))
    if (!names.includes(pool))
      throw new MinosError(
        `configPatches.pools.${pool}`,
        patches,
        names.length > 0
          ? `patch a pool the cluster has: ${names.join(", ")}`
          : "the cluster has no node pools to patch: add the pool to nodePools, or leave this out",
      );
}

/** Talos has no SSH; say so instead of silently dropping the keys. */
function refuseSsh(args: TalosClusterArgs): void {
  const message = "Talos has no SSH; reach nodes with talosctl and the cluster's talosconfig";
  if (args.sshAuthorizedKeys?.length)
    throw new MinosError("sshAuthorizedKeys", args.sshAuthorizedKeys, message);
}
