import * as grpc from "@grpc/grpc-js";
import { machineService, unary } from "./machine-api.js";

export interface HandOverOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** First pause between attempts; doubles up to 16 times it while no node answers. Default 1 s. */
  pollMs?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** What handing the config over took. */
export interface HandOver {
  /** Nodes that took the config: as many as were asked for. */
  accepted: number;
  /** Connections made, each one ApplyConfiguration call. */
  attempts: number;
  /** Answers from nodes that already had a config (they want a client certificate). */
  configured: number;
}

interface ApplyResponse {
  messages?: { mode?: string; modeDetails?: string; warnings?: string[] }[];
}

/**
 * What a node with a config answers a client without a certificate: its
 * apid requires one (Go's TLS 1.3 alert `certificate required`, TLS 1.2's
 * `bad certificate`; both reach grpc-js as UNAVAILABLE with OpenSSL's
 * text). A node whose config is complete but whose maintenance API still
 * serves refuses the apply itself (PERMISSION_DENIED `not authorized`).
 */
export function isConfigured(error: grpc.ServiceError): boolean {
  return (
    error.code === grpc.status.PERMISSION_DENIED ||
    /certificate required|bad certificate|certificate_required|peer did not return a certificate/i.test(
      error.details ?? "",
    )
  );
}

/**
 * Hands `count` Talos nodes in maintenance mode their machine config through
 * `address`, a load balancer in front of their apid: it cannot pick a node,
 * so each attempt is a new connection (a new client, no shared subchannel)
 * and the balancer picks. A node in maintenance serves a self-signed
 * certificate and asks for no client certificate (Talos's maintenance API:
 * `SkipVerifyingClientCert`), so the connection is TLS that verifies
 * nothing, and it takes ApplyConfiguration from anyone, once (mode AUTO,
 * which Talos runs as NO_REBOOT there). A node with a config requires a
 * client certificate, and counts as configured. Attempts go on, with
 * backoff while no node answers, until `count` nodes took the config or
 * `timeoutMs` passed; a config Talos refuses stops everything at once.
 */
export async function handOverConfig(
  address: string,
  config: string,
  count: number,
  options: HandOverOptions,
): Promise<HandOver> {
  const MachineService = machineService();
  const data = Buffer.from(config);
  const first = options.pollMs ?? 1000;
  const deadline = Date.now() + options.timeoutMs;
  const done: HandOver = { accepted: 0, attempts: 0, configured: 0 };
  let waiting = 0;
  let last = "no answer yet";
  while (done.accepted < count) {
    if (Date.now() >= deadline)
      throw new Error(
        `minos: only ${done.accepted} of ${count} control-plane nodes took their machine config through ${address} ` +
          `within ${Math.round(options.timeoutMs / 1000)} s (${done.attempts} attempts, ${done.configured} answered as configured already); ` +
          `last answer: ${last}. A node that answers as configured but never took this config was handed another one by someone who reached its port 50000 first: replace it`,
      );
    done.attempts++;
    const client = new MachineService(
      address,
      // The maintenance certificate is self-signed, made on the node: nothing to verify it with.
      grpc.credentials.createSsl(null, null, null, {
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
      }),
      { "grpc.use_local_subchannel_pool": 1 },
    );
    let answer: Awaited<ReturnType<typeof unary<ApplyResponse>>>;
    try {
      answer = await unary<ApplyResponse>(
        client,
        "ApplyConfiguration",
        { data, mode: "AUTO", dryRun: false },
        Math.max(1000, Math.min(deadline - Date.now(), 10_000)),
      );
    } finally {
      client.close();
    }
    if (answer.ok) {
      done.accepted++;
      waiting = 0;
      const message = answer.response?.messages?.[0];
      for (const warning of message?.warnings ?? [])
        options.log?.(`hand over config: warning: ${warning}`);
      options.log?.(
        `hand over config: node ${done.accepted} of ${count} took it (${message?.modeDetails ?? message?.mode ?? "applied"})`,
      );
      continue;
    }
    const { code, details } = answer.error;
    last = `${grpc.status[code]}: ${details}`;
    if (code === grpc.status.INVALID_ARGUMENT || code === grpc.status.UNIMPLEMENTED)
      throw new Error(`minos: Talos in maintenance mode refused the machine config: ${last}`);
    if (isConfigured(answer.error)) {
      // Another connection may reach another node: no reason to wait longer.
      done.configured++;
      waiting = 0;
      options.log?.(`hand over config: a node with a config answered; trying another`);
    } else {
      options.log?.(`hand over config: no node took it yet (${last})`);
      waiting++;
    }
    await new Promise((r) => setTimeout(r, Math.min(first * 2 ** waiting, first * 16)));
  }
  return done;
}
