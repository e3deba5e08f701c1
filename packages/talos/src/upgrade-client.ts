import * as grpc from "@grpc/grpc-js";
import { type MachineTarget, machineClient, NOT_NOW, unary } from "./machine-api.js";

export interface UpgradeOptions {
  /** Give up on one node after this long. */
  timeoutMs: number;
  /** Pause between polls while a node reboots. Default 5 s. */
  pollMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
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
 * new version, so no two nodes are ever down for an upgrade together. Calls
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
      options.log?.(`upgrade ${node}: ${from} -> ${tag} (${image})`);
      await request(client, node, image, deadline, options);
      await waitFor(client, node, deadline, options, (running) => running === tag);
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
      { image, preserve: true, stage: false, force: false },
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
