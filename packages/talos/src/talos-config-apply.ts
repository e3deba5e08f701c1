import { dynamicProviderShim } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/** One group of nodes that share a machine config. */
export interface ConfigGroup {
  /** `control-plane`, `control-plane-join` or `worker/<pool>`. */
  name: string;
  /** Addresses of its nodes; none for an autoscaled pool. */
  nodes: string[];
}

/** Arguments of TalosConfigApply. */
export interface TalosConfigApplyArgs {
  /** `host:port` of apid on a control-plane node, or of the load balancer in front of them. */
  address: pulumi.Input<string>;
  /** The Talos OS CA, and an `os:admin` client certificate it signed. */
  caPem: pulumi.Input<string>;
  clientCertPem: pulumi.Input<string>;
  clientKeyPem: pulumi.Input<string>;
  /** The groups, in the order they are changed: control plane first. */
  groups: pulumi.Input<pulumi.Input<ConfigGroup>[]>;
  /** Each group's machine config by group name (secret). */
  configs: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** The Kubernetes release the configs name, so a change can be checked before any node is. */
  kubernetesVersion: pulumi.Input<string>;
  /** How long one node may take to run its new config. Default 1800 s. */
  timeoutSeconds?: number;
}

/**
 * The machine configs of a running Talos cluster. Made when the cluster is,
 * without calling anything (its nodes booted those configs); when a group's
 * config changes (a patch, a Kubernetes release, a switched feature), each
 * of its nodes gets the new one over Talos's API, one node at a time,
 * control plane first (see applyConfig). New machines boot with the new
 * config, so an autoscaled pool takes it as new machines.
 */
export class TalosConfigApply extends pulumi.dynamic.Resource {
  /** What the last change did: group, node, mode (`NO_REBOOT` or `REBOOT`), seconds. */
  declare readonly applied: pulumi.Output<
    { group: string; node: string; mode: string; seconds: number }[]
  >;

  constructor(name: string, args: TalosConfigApplyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shim,
      name,
      { ...args, timeoutSeconds: args.timeoutSeconds ?? 1800, applied: undefined },
      { ...opts, additionalSecretOutputs: ["clientKeyPem", "configs"] },
      "minos-talos",
      "TalosConfigApply",
    );
  }
}

/** The serialized provider: it loads this package's own in the provider process. */
export const shim = dynamicProviderShim("@minos/talos/providers", "talosConfigApply", {
  from: __dirname,
});
