import { dynamicProviderShim } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of TalosConfigHandover. */
export interface TalosConfigHandoverArgs {
  /** `host:port` of the load balancer in front of the control-plane nodes' apid (port 50000). */
  address: pulumi.Input<string>;
  /** The control-plane machine config (secret): the same for every control-plane node. */
  config: pulumi.Input<string>;
  /**
   * Who the control-plane machines are (their ids, or addresses): as many
   * nodes as are new here take the config, and a replaced machine is new.
   */
  machines: pulumi.Input<pulumi.Input<string>[]>;
  /** How long to keep trying. Default 1800 s. */
  timeoutSeconds?: number;
}

/**
 * Hands control-plane nodes that boot without a config (Talos's
 * maintenance mode; the `machine-api` delivery, so no cloud reader sees it)
 * their machine config through the load balancer, one new connection per
 * attempt, until as many nodes took it as there are machines (see
 * handOverConfig). Made with the cluster; on a change, only machines that
 * are new take it: a changed config reaches running nodes through
 * TalosConfigApply, over mutual TLS.
 */
export class TalosConfigHandover extends pulumi.dynamic.Resource {
  /** How many nodes took the config in the last create or update. */
  declare readonly handedOver: pulumi.Output<number>;

  constructor(name: string, args: TalosConfigHandoverArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shim,
      name,
      { ...args, timeoutSeconds: args.timeoutSeconds ?? 1800, handedOver: undefined },
      { ...opts, additionalSecretOutputs: ["config"] },
      "minos-talos",
      "TalosConfigHandover",
    );
  }
}

/** The serialized provider: it loads this package's own in the provider process. */
export const shim = dynamicProviderShim("@minos/talos/providers", "talosConfigHandover", {
  from: __dirname,
});
