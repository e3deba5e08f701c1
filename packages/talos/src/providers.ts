import { randomUUID } from "node:crypto";
import { checkKubernetesStep, diffProperties } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import { applyConfig } from "./apply-client.js";
import { bootstrapEtcd } from "./bootstrap-client.js";
import type { MachineTarget } from "./machine-api.js";
import { handOverConfig } from "./maintenance-client.js";
import { upgradeNodes } from "./upgrade-client.js";

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

/** How and where a provider calls Talos's API: a change is recorded, never a new call. */
const RECORDED = {
  address: "update",
  caPem: "update",
  clientCertPem: "update",
  clientKeyPem: "update",
  serverName: "update",
  timeoutSeconds: "update",
} as const;

/** Where and as whom a provider calls Talos's API, from its inputs. */
function machineTarget(inputs: MachineTarget): MachineTarget {
  const { address, caPem, clientCertPem, clientKeyPem, serverName } = inputs;
  return { address, caPem, clientCertPem, clientKeyPem, ...(serverName && { serverName }) };
}

/**
 * Bootstraps etcd once per cluster id. Any other change (a rotated client
 * certificate, a new address) is recorded without calling again: a second
 * Bootstrap on a running cluster is at best refused, and on a node that lost
 * its data it would fork etcd.
 */
export const etcdBootstrapProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: EtcdBootstrapInputs) {
    const outcome = await bootstrapEtcd(machineTarget(inputs), {
      timeoutMs: inputs.timeoutSeconds * 1000,
      log: info,
    });
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
    return diffProperties(olds, news, { clusterId: "replace", ...RECORDED }, true);
  },

  async update(_id, olds: EtcdBootstrapInputs & { outcome: string }, news: EtcdBootstrapInputs) {
    return { outs: { ...news, outcome: olds.outcome } };
  },
};

/** What a TalosUpgrade resource is asked for. */
export interface TalosUpgradeInputs {
  address: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  serverName?: string;
  nodes: string[];
  /** The control-plane nodes among `nodes`: etcd is checked around each. Absent in older state. */
  controlPlaneNodes?: string[];
  /** Talos's `preserve`; off unless asked. */
  preserve?: boolean;
  talosVersion: string;
  image: string;
  timeoutSeconds: number;
}

/** What decides whether nodes are upgraded: the release and its image. */
const RELEASE = ["talosVersion", "image"] as const;

/**
 * Upgrades nodes over Talos's API when the release changes, one at a time;
 * never on create (nodes boot the release they were made with) and never
 * by replacing anything.
 */
export const talosUpgradeProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: TalosUpgradeInputs) {
    return { id: "talos-release", outs: { ...inputs, upgraded: [] } };
  },

  // Nothing here is ever replaced: a change is an upgrade, or only recorded.
  async diff(_id, olds: TalosUpgradeInputs, news: TalosUpgradeInputs) {
    return diffProperties(olds, news, {
      talosVersion: "update",
      image: "update",
      nodes: "update",
      controlPlaneNodes: "update",
      preserve: "update",
      ...RECORDED,
    });
  },

  async update(_id, olds: TalosUpgradeInputs, news: TalosUpgradeInputs) {
    if (RELEASE.every((k) => olds[k] === news[k])) return { outs: { ...news, upgraded: [] } };
    const upgraded = await upgradeNodes(
      machineTarget(news),
      news.nodes,
      news.image,
      news.talosVersion,
      {
        timeoutMs: news.timeoutSeconds * 1000,
        log: info,
        controlPlane: news.controlPlaneNodes ?? [],
        ...(news.preserve !== undefined && { preserve: news.preserve }),
      },
    );
    return { outs: { ...news, upgraded } };
  },
};

/** What a TalosConfigApply resource is asked for. */
export interface TalosConfigApplyInputs {
  address: string;
  caPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  serverName?: string;
  groups: { name: string; nodes: string[] }[];
  configs: Record<string, string>;
  kubernetesVersion: string;
  timeoutSeconds: number;
}

/** One node's new config, as the last change applied it. */
interface Applied {
  group: string;
  node: string;
  mode: string;
  seconds: number;
}

/**
 * Hands running nodes their group's new machine config when it changes, one
 * node at a time in group order; never on create (nodes boot with their
 * config) and never by replacing anything. A group that is new, or whose
 * config is unchanged, is left alone: its machines were made with the config.
 */
export const talosConfigApplyProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: TalosConfigApplyInputs) {
    return { id: "talos-config", outs: { ...inputs, applied: [] } };
  },

  // A Kubernetes change nodes cannot take is refused here, so preview says so.
  async diff(_id, olds: TalosConfigApplyInputs, news: TalosConfigApplyInputs) {
    if (olds.kubernetesVersion && olds.kubernetesVersion !== news.kubernetesVersion)
      checkKubernetesStep(olds.kubernetesVersion, news.kubernetesVersion);
    return diffProperties(olds, news, {
      groups: "update",
      configs: "update",
      kubernetesVersion: "update",
      ...RECORDED,
    });
  },

  async update(_id, olds: TalosConfigApplyInputs, news: TalosConfigApplyInputs) {
    const applied: Applied[] = [];
    for (const group of news.groups) {
      const [before, after] = [olds.configs?.[group.name], news.configs[group.name]];
      if (before === undefined || after === undefined || before === after) continue;
      if (group.nodes.length === 0) {
        info(`${group.name}: no fixed nodes; new machines boot with the new config`);
        continue;
      }
      const done = await applyConfig(machineTarget(news), group.nodes, after, {
        timeoutMs: news.timeoutSeconds * 1000,
        log: info,
      });
      applied.push(...done.map((d) => ({ group: group.name, ...d })));
    }
    return { outs: { ...news, applied } };
  },
};

/** What a TalosConfigHandover resource is asked for. */
export interface TalosConfigHandoverInputs {
  address: string;
  config: string;
  machines: string[];
  timeoutSeconds: number;
}

/**
 * Hands nodes in maintenance mode the control-plane config: every machine's
 * node on create, then as many as are new. A changed config alone is
 * recorded: running nodes have one and take changes over mutual TLS.
 */
export const talosConfigHandoverProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: TalosConfigHandoverInputs) {
    const handedOver = await handOver(inputs, inputs.machines.length);
    return { id: "talos-config-handover", outs: { ...inputs, handedOver } };
  },

  async diff(_id, olds: TalosConfigHandoverInputs, news: TalosConfigHandoverInputs) {
    return diffProperties(olds, news, {
      machines: "update",
      config: "update",
      address: "update",
      timeoutSeconds: "update",
    });
  },

  async update(_id, olds: TalosConfigHandoverInputs, news: TalosConfigHandoverInputs) {
    const before = new Set(olds.machines ?? []);
    const handedOver = await handOver(news, news.machines.filter((m) => !before.has(m)).length);
    return { outs: { ...news, handedOver } };
  },
};

async function handOver(inputs: TalosConfigHandoverInputs, count: number): Promise<number> {
  if (count === 0) return 0;
  const done = await handOverConfig(inputs.address, inputs.config, count, {
    timeoutMs: inputs.timeoutSeconds * 1000,
    log: info,
  });
  return done.accepted;
}

/** A progress line for the operator: Pulumi's log in the provider process, loaded when used. */
function info(line: string): void {
  (require("@pulumi/pulumi") as typeof pulumi).log.info(line);
}

/** The providers this package serializes by name. */
export const providers = {
  etcdBootstrap: etcdBootstrapProvider,
  talosUpgrade: talosUpgradeProvider,
  talosConfigApply: talosConfigApplyProvider,
  talosConfigHandover: talosConfigHandoverProvider,
};
