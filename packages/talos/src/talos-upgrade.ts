import { dynamicProviderShim } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of TalosUpgrade. */
export interface TalosUpgradeArgs {
  /** `host:port` of apid on a control-plane node, or of the load balancer in front of them. */
  address: pulumi.Input<string>;
  /** The Talos OS CA, and an `os:admin` client certificate it signed. */
  caPem: pulumi.Input<string>;
  clientCertPem: pulumi.Input<string>;
  clientKeyPem: pulumi.Input<string>;
  /** Nodes to move, in order: control plane first, then workers whose addresses are fixed. */
  nodes: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The control-plane nodes among `nodes`. Before each goes and after it is
   * back, every etcd member must be healthy; one that is not stops the roll.
   */
  controlPlaneNodes: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Talos's `preserve` flag. Default false, as `talosctl upgrade`: with it,
   * Talos skips its own etcd checks and upgrade lock on control-plane nodes.
   */
  preserve?: boolean;
  /** The release the cluster runs, e.g. `1.13.9`. */
  talosVersion: pulumi.Input<string>;
  /** Its installer image, e.g. `factory.talos.dev/aws-installer/<schematic>:v1.13.9`. */
  image: pulumi.Input<string>;
  /** How long one node may take to come back upgraded. Default 1800 s. */
  timeoutSeconds?: number;
}

/**
 * The Talos release of a running cluster. Made when the cluster is, without
 * calling anything (its nodes booted that release); when `talosVersion` or
 * the image changes, each node is upgraded over Talos's API, one at a time,
 * each back on the new release, and on control-plane nodes etcd healthy
 * before and after, before the next goes (see upgradeNodes).
 */
export class TalosUpgrade extends pulumi.dynamic.Resource {
  /** The release every listed node runs. */
  declare readonly talosVersion: pulumi.Output<string>;
  /** What the last change did: node, from, to, seconds. */
  declare readonly upgraded: pulumi.Output<
    { node: string; from: string; to: string; seconds: number }[]
  >;

  constructor(name: string, args: TalosUpgradeArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shim,
      name,
      { ...args, timeoutSeconds: args.timeoutSeconds ?? 1800, upgraded: undefined },
      { ...opts, additionalSecretOutputs: ["clientKeyPem"] },
      "minos-talos",
      "TalosUpgrade",
    );
  }
}

/** The serialized provider: it loads this package's own in the provider process. */
export const shim = dynamicProviderShim("@minos/talos/providers", "talosUpgrade", {
  from: __dirname,
});
