import { dynamicProviderShim } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of EtcdBootstrap. */
export interface EtcdBootstrapArgs {
  /** Talos's `cluster.id`. */
  clusterId: pulumi.Input<string>;
  /** `host:port` of one control-plane node's apid. */
  address: pulumi.Input<string>;
  /** The Talos OS CA, and an `os:admin` client certificate it signed. */
  caPem: pulumi.Input<string>;
  clientCertPem: pulumi.Input<string>;
  clientKeyPem: pulumi.Input<string>;
  /** The name apid's certificate carries, when `address` is not it. */
  serverName?: pulumi.Input<string>;
  /** How long to keep trying. Default 1800 s. */
  timeoutSeconds?: number;
}

/**
 * The one `Bootstrap` call a Talos cluster needs: made on one control-plane
 * node when the resource is created, never again for the same cluster id.
 */
export class EtcdBootstrap extends pulumi.dynamic.Resource {
  /** `bootstrapped`, or `already-bootstrapped` when etcd had data already. */
  declare readonly outcome: pulumi.Output<string>;

  constructor(name: string, args: EtcdBootstrapArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shim,
      name,
      {
        ...args,
        timeoutSeconds: args.timeoutSeconds ?? 1800,
        outcome: undefined,
        attempts: undefined,
      },
      { ...opts, additionalSecretOutputs: ["clientKeyPem", "clusterId"] },
      "minos-talos",
      "EtcdBootstrap",
    );
  }
}

/** The serialized provider: it loads this package's own in the provider process. */
export const shim = dynamicProviderShim("@minos/talos/providers", "etcdBootstrap", {
  from: __dirname,
});
