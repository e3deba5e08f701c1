import { randomUUID } from "node:crypto";
import { diffProperties } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import { bootstrapEtcd } from "./bootstrap-client.js";

/** What an EtcdBootstrap resource is asked for. */
export interface EtcdBootstrapInputs {
  /** The cluster this bootstrap belongs to (Talos's `cluster.id`): a new id is a new cluster. */
  clusterId: string;
  /** `host:port` of one control-plane node's apid. */
  address: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  serverName?: string;
  timeoutSeconds: number;
}

/**
 * Bootstraps etcd once per cluster id. Any other change (a rotated client
 * certificate, a new address) is recorded without calling again: a second
 * Bootstrap on a running cluster is at best refused, and on a node that lost
 * its data it would fork etcd.
 */
export const etcdBootstrapProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: EtcdBootstrapInputs) {
    const { log } = require("@pulumi/pulumi") as typeof pulumi;
    const outcome = await bootstrapEtcd(
      {
        address: inputs.address,
        caPem: inputs.caPem,
        clientCertPem: inputs.clientCertPem,
        clientKeyPem: inputs.clientKeyPem,
        ...(inputs.serverName && { serverName: inputs.serverName }),
      },
      { timeoutMs: inputs.timeoutSeconds * 1000, log: (line) => log.info(line) },
    );
    // Ids are plain text in state and the cluster id is a secret: the id is
    // random, and which cluster this was stays in (secret) state for diff.
    return {
      id: randomUUID(),
      outs: { ...inputs, outcome: outcome.result, attempts: outcome.attempts },
    };
  },

  /**
   * Resources made before the id was random carry the (secret) cluster id as
   * their id, in plain text: `pulumi refresh` moves them to a random one.
   */
  async read(id, props: EtcdBootstrapInputs) {
    return { id: id === props.clusterId ? randomUUID() : id, props };
  },

  async diff(_id, olds: EtcdBootstrapInputs, news: EtcdBootstrapInputs) {
    return diffProperties(
      olds,
      news,
      {
        clusterId: "replace",
        address: "update",
        caPem: "update",
        clientCertPem: "update",
        clientKeyPem: "update",
        serverName: "update",
        timeoutSeconds: "update",
      },
      true,
    );
  },

  async update(_id, olds: EtcdBootstrapInputs & { outcome: string }, news: EtcdBootstrapInputs) {
    return { outs: { ...news, outcome: olds.outcome } };
  },
};

/** The providers this package serializes by name. */
export const providers = { etcdBootstrap: etcdBootstrapProvider };
