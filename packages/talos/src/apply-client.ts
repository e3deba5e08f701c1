import * as grpc from "@grpc/grpc-js";
import type { MachineTarget } from "./machine-api.js";
import { machineClient, NOT_NOW, unary } from "./machine-api.js";

export interface ApplyOptions {
  /** Give up on one node after this long. */
  timeoutMs: number;
  /** First pause between attempts; doubles up to 16 times it. Default 1 s. */
  pollMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** How a node took its new config: in place, or by rebooting into it. */
export type AppliedMode = "NO_REBOOT" | "REBOOT";

/** What one node went through. */
export interface NodeApply {
  node: string;
  mode: AppliedMode;
  seconds: number;
}

interface ApplyResponse {
  messages?: { mode?: string; modeDetails?: string; warnings?: string[] }[];
}

/**
 * Hands nodes the same machine config one at a time, in the order given
 * (control plane first), with `machine.MachineService/ApplyConfiguration`.
 * The mode is AUTO: Talos itself knows what it can change live (its
 * CanApplyImmediate: all of `cluster`, `machine.kubelet`, labels, taints,
 * KubePrism, host DNS, ...), applies that in place and reboots for anything
 * else, and answers with what it chose. The next node is touched only once
 * this one answers a dry run of the same config with NO_REBOOT, that is,
 * once it runs it: after a reboot that is when it is back. Calls go to
 * `target`, which forwards them by `node` metadata. A node that is booting,
 * rebooting or busy (UNAVAILABLE, FAILED_PRECONDITION, ...) is retried with
 * backoff until `timeoutMs`; a config Talos refuses stops everything at once.
 */
export async function applyConfig(
  target: MachineTarget,
  nodes: readonly string[],
  config: string,
  options: ApplyOptions,
): Promise<NodeApply[]> {
  const client = machineClient(target);
  const data = Buffer.from(config);
  const done: NodeApply[] = [];
  try {
    for (const node of nodes) {
      const started = Date.now();
      const deadline = started + options.timeoutMs;
      const mode = await apply(client, node, data, deadline, options);
      await waitApplied(client, node, data, deadline, options);
      const seconds = Math.round((Date.now() - started) / 1000);
      options.log?.(`apply config ${node}: ${mode} done after ${seconds} s`);
      done.push({ node, mode, seconds });
    }
    return done;
  } finally {
    client.close();
  }
}

/** Sends the config for real, retrying while the node cannot take it; returns Talos's choice. */
async function apply(
  client: grpc.Client,
  node: string,
  data: Buffer,
  deadline: number,
  options: ApplyOptions,
): Promise<AppliedMode> {
  for (let attempt = 0; ; attempt++) {
    const answer = await call(client, node, data, false, deadline);
    if (answer.ok) {
      const message = answer.response?.messages?.[0];
      for (const warning of message?.warnings ?? [])
        options.log?.(`apply config ${node}: warning: ${warning}`);
      const mode = message?.mode === "NO_REBOOT" ? "NO_REBOOT" : "REBOOT";
      options.log?.(`apply config ${node}: ${message?.modeDetails ?? mode}`);
      return mode;
    }
    const { code, details } = answer.error;
    if (!NOT_NOW.has(code))
      throw new Error(
        `minos: Talos on ${node} refused the machine config (${grpc.status[code]}): ${details}`,
      );
    if (Date.now() >= deadline)
      throw new Error(
        `minos: ${node} did not take its machine config in time; last answer: ${grpc.status[code]}: ${details}`,
      );
    options.log?.(`apply config ${node}: not yet (${grpc.status[code]}: ${details})`);
    await pause(options, attempt);
  }
}

/** Dry-runs the config until the node says nothing in it needs a reboot. */
async function waitApplied(
  client: grpc.Client,
  node: string,
  data: Buffer,
  deadline: number,
  options: ApplyOptions,
): Promise<void> {
  let last = "no answer yet";
  for (let attempt = 0; ; attempt++) {
    const answer = await call(client, node, data, true, deadline);
    if (answer.ok) {
      const mode = answer.response?.messages?.[0]?.mode;
      if (mode === "NO_REBOOT") return;
      last = `a dry run would still ${mode === "REBOOT" ? "reboot" : `use ${mode}`}`;
    } else {
      const { code, details } = answer.error;
      if (!NOT_NOW.has(code))
        throw new Error(
          `minos: checking ${node}'s machine config failed (${grpc.status[code]}): ${details}`,
        );
      last = `${grpc.status[code]}: ${details}`;
    }
    if (Date.now() >= deadline)
      throw new Error(
        `minos: ${node} did not come back with its machine config in time; last answer: ${last}`,
      );
    await pause(options, attempt);
  }
}

function call(client: grpc.Client, node: string, data: Buffer, dryRun: boolean, deadline: number) {
  return unary<ApplyResponse>(
    client,
    "ApplyConfiguration",
    { data, mode: "AUTO", dryRun },
    Math.max(1000, Math.min(deadline - Date.now(), 30_000)),
    node,
  );
}

const pause = (o: ApplyOptions, attempt: number) => {
  const first = o.pollMs ?? 1000;
  return new Promise((r) => setTimeout(r, Math.min(first * 2 ** attempt, first * 16)));
};
