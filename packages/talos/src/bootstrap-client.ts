import * as grpc from "@grpc/grpc-js";
import type { MachineTarget } from "./machine-api.js";
import { machineClient, unary } from "./machine-api.js";

/** One control-plane node's API and the credentials to call it. */
export type BootstrapTarget = MachineTarget;

export interface BootstrapOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** First pause between attempts; doubles up to 15 s. Default 1 s. */
  retryMs?: number;
  /** Progress lines, one per failed attempt. */
  log?: (line: string) => void;
}

/** What the call achieved. */
export type BootstrapOutcome =
  | { result: "bootstrapped"; node: string; attempts: number }
  | { result: "already-bootstrapped"; attempts: number };

/** Codes that mean "not yet": the node is still booting, or unreachable for now. */
const RETRY = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.DEADLINE_EXCEEDED,
]);

/**
 * Calls `machine.MachineService/Bootstrap` over mutual TLS until it is
 * answered: success, or "etcd data directory is not empty" (AlreadyExists:
 * bootstrapped before) both count as done. A node still starting up
 * (FailedPrecondition, e.g. time not yet synced) or not reachable yet is
 * retried with backoff until `timeoutMs`. InvalidArgument stops with Talos's
 * message; Unimplemented means the node is in maintenance mode, without a
 * machine config.
 */
export async function bootstrapEtcd(
  target: BootstrapTarget,
  options: BootstrapOptions,
): Promise<BootstrapOutcome> {
  const client = machineClient(target);
  const started = Date.now();
  let pause = options.retryMs ?? 1000;
  let attempts = 0;
  try {
    for (;;) {
      attempts++;
      const left = options.timeoutMs - (Date.now() - started);
      const answer = await call(client, Math.max(100, Math.min(left, 10_000)));
      if (answer.ok) return { result: "bootstrapped", node: answer.node, attempts };
      const { code, details } = answer.error;
      if (code === grpc.status.ALREADY_EXISTS) return { result: "already-bootstrapped", attempts };
      if (code === grpc.status.INVALID_ARGUMENT)
        throw new Error(`minos: Talos refused to bootstrap etcd on ${target.address}: ${details}`);
      if (code === grpc.status.UNIMPLEMENTED)
        throw new Error(
          `minos: ${target.address} runs Talos in maintenance mode (no machine config applied), so it cannot bootstrap etcd: ${details}`,
        );
      if (!RETRY.has(code))
        throw new Error(
          `minos: bootstrapping etcd on ${target.address} failed (${grpc.status[code]}): ${details}`,
        );
      const elapsed = Date.now() - started;
      if (elapsed + pause > options.timeoutMs)
        throw new Error(
          `minos: etcd was not bootstrapped on ${target.address} within ${Math.round(options.timeoutMs / 1000)} s ` +
            `(${attempts} attempts); last answer: ${grpc.status[code]}: ${details}`,
        );
      options.log?.(
        `bootstrap ${target.address}: attempt ${attempts} after ${Math.round(elapsed / 1000)} s: ${grpc.status[code]}: ${details}; retrying in ${Math.round(pause / 1000)} s`,
      );
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 15_000);
    }
  } finally {
    client.close();
  }
}

interface BootstrapResponse {
  messages?: { metadata?: { hostname?: string } }[];
}

async function call(
  client: grpc.Client,
  deadlineMs: number,
): Promise<{ ok: true; node: string } | { ok: false; error: grpc.ServiceError }> {
  const answer = await unary<BootstrapResponse>(
    client,
    "Bootstrap",
    { recoverEtcd: false, recoverSkipHashCheck: false },
    deadlineMs,
  );
  return answer.ok
    ? { ok: true, node: answer.response?.messages?.[0]?.metadata?.hostname ?? "" }
    : answer;
}
