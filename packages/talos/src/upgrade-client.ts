import * as grpc from "@grpc/grpc-js";
import { etcdProblem } from "./etcd-health.js";
import type { MachineTarget } from "./machine-api.js";
import { machineClient, NOT_NOW, unary } from "./machine-api.js";
import { machineReady } from "./machine-ready.js";

export interface UpgradeOptions {
  /** Give up on one node after this long. */
  timeoutMs: number;
  /** Pause between polls while a node reboots. Default 5 s. */
  pollMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
  /**
   * The control-plane nodes among those given. Before each of them goes,
   * and after it is back, etcd must be healthy on all of them (see
   * etcdProblem); a member that stays unhealthy stops the roll there.
   */
  controlPlane?: readonly string[];
  /**
   * Talos's `preserve`. Off by default, as `talosctl upgrade` leaves it:
   * on, Talos skips its own etcd checks and upgrade lock for control-plane
   * nodes, and in 1.13 it changes nothing else (the installer ignores a
   * wipe on upgrade).
   */
  preserve?: boolean;
}

/** What one node went through. */
export interface NodeUpgrade {
  node: string;
  from: string;
  to: string;
  seconds: number;
}

interface VersionResponse {
  messages?: { version?: { tag?: string } }[];
}

/**
 * Moves nodes to another Talos release one at a time, in the order given
 * (control plane first): the installer image goes to a node, which reboots
 * into it, and the next node is only touched once this one answers with the
 * new version and reports itself ready (for a control-plane node: its API
 * server serving; see machineReady), so no two nodes are ever down for an
 * upgrade together. On control-plane nodes etcd must also be healthy before
 * the node goes and again once it is back: answering `Version` is not having
 * rejoined etcd. Calls
 * go to `target` (a control-plane apid, or a load balancer in front of
 * them), which forwards them to each node. A node already on `version` is
 * skipped, so a run that stopped halfway picks up where it was.
 */
export async function upgradeNodes(
  target: MachineTarget,
  nodes: readonly string[],
  image: string,
  version: string,
  options: UpgradeOptions,
): Promise<NodeUpgrade[]> {
  const client = machineClient(target);
  const tag = `v${version}`;
  const done: NodeUpgrade[] = [];
  try {
    for (const node of nodes) {
      const started = Date.now();
      const deadline = started + options.timeoutMs;
      const from = await waitFor(client, node, deadline, options, () => true);
      if (from === tag) continue;
      const etcd = options.controlPlane?.includes(node) ? options.controlPlane : undefined;
      const stuck = (when: string, problem: string) =>
        new Error(
          `minos: stopped the Talos upgrade ${when}: ${problem}. ` +
            `Upgraded so far: ${done.map((d) => d.node).join(", ") || "none"}. ` +
            `Look at the node (talosctl -n ${node} get machinestatus, talosctl -n ${node} etcd status, talosctl -n ${node} logs etcd), then run pulumi up again; the roll goes on from there.`,
        );
      if (etcd)
        await etcdHealthy(client, etcd, deadline, options, (p) => stuck(`before ${node}`, p));
      options.log?.(`upgrade ${node}: ${from} -> ${tag} (${image})`);
      await request(client, node, image, deadline, options);
      await waitFor(client, node, deadline, options, (running) => running === tag);
      const after = (p: string) => stuck(`after ${node} came back on ${tag}`, p);
      if (etcd) await etcdHealthy(client, etcd, deadline, options, after);
      await ready(client, node, deadline, options, after);
      const seconds = Math.round((Date.now() - started) / 1000);
      options.log?.(`upgrade ${node}: runs ${tag} after ${seconds} s`);
      done.push({ node, from, to: tag, seconds });
    }
    return done;
  } finally {
    client.close();
  }
}

/** Asks one node to upgrade, retrying while it cannot answer. */
async function request(
  client: grpc.Client,
  node: string,
  image: string,
  deadline: number,
  options: UpgradeOptions,
): Promise<void> {
  for (;;) {
    const answer = await unary(
      client,
      "Upgrade",
      { image, preserve: options.preserve ?? false, stage: false, force: false },
      Math.max(1000, Math.min(deadline - Date.now(), 60_000)),
      node,
    );
    if (answer.ok) return;
    const { code, details } = answer.error;
    if (!NOT_NOW.has(code) || Date.now() >= deadline)
      throw new Error(
        `minos: Talos on ${node} refused the upgrade to ${image} (${grpc.status[code]}): ${details}`,
      );
    await pause(options);
  }
}

/** Waits until etcd has no problem, or throws `stuck(problem)` at the deadline. */
function etcdHealthy(
  client: grpc.Client,
  controlPlane: readonly string[],
  deadline: number,
  options: UpgradeOptions,
  stuck: (problem: string) => Error,
): Promise<void> {
  return until(
    () => etcdProblem(client, controlPlane, deadline - Date.now()),
    "etcd",
    deadline,
    options,
    stuck,
  );
}

/** Waits until the node reports itself ready, or throws `stuck(status)` at the deadline. */
function ready(
  client: grpc.Client,
  node: string,
  deadline: number,
  options: UpgradeOptions,
  stuck: (problem: string) => Error,
): Promise<void> {
  return until(
    (seen) => machineReady(client, node, deadline, seen),
    `${node} to be ready`,
    deadline,
    options,
    (problem) => stuck(`${node} is not ready: ${problem}`),
  );
}

/**
 * Asks `problem` until it has none, logging each new one as "waiting for
 * <what>: <problem>" (also those it reports while it asks), or throws
 * `stuck(problem)` at the deadline.
 */
async function until(
  problem: (seen: (p: string) => void) => Promise<string | undefined>,
  what: string,
  deadline: number,
  options: UpgradeOptions,
  stuck: (problem: string) => Error,
): Promise<void> {
  let logged = "";
  const log = (p: string) => {
    if (p !== logged) options.log?.(`waiting for ${what}: ${p}`);
    logged = p;
  };
  for (;;) {
    const now = await problem(log);
    if (now === undefined) return;
    if (Date.now() >= deadline) throw stuck(now);
    log(now);
    await pause(options);
  }
}

/** Polls a node's version until `accept` takes it; returns it. */
async function waitFor(
  client: grpc.Client,
  node: string,
  deadline: number,
  options: UpgradeOptions,
  accept: (tag: string) => boolean,
): Promise<string> {
  let last = "no answer yet";
  for (;;) {
    const answer = await unary<VersionResponse>(
      client,
      "Version",
      {},
      Math.max(1000, Math.min(deadline - Date.now(), 10_000)),
      node,
    );
    if (answer.ok) {
      const tag = answer.response?.messages?.[0]?.version?.tag ?? "";
      if (accept(tag)) return tag;
      last = `runs ${tag}`;
    } else {
      if (!NOT_NOW.has(answer.error.code))
        throw new Error(
          `minos: asking ${node} for its Talos version failed (${grpc.status[answer.error.code]}): ${answer.error.details}`,
        );
      last = `${grpc.status[answer.error.code]}: ${answer.error.details}`;
    }
    if (Date.now() >= deadline)
      throw new Error(`minos: ${node} did not come back upgraded in time; last answer: ${last}`);
    await pause(options);
  }
}

const pause = (o: UpgradeOptions) => new Promise((r) => setTimeout(r, o.pollMs ?? 5000));
