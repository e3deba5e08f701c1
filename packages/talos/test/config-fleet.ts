import * as grpc from "@grpc/grpc-js";
import { parse, stringify } from "yaml";
import { grpcError, startApid } from "../../../test/support/apid.js";
import type { Pem } from "../../../test/support/tls.js";

/** A gRPC error as a server hands it back. */
export const fail = grpcError;

/** A machine config, small enough to read: what changes decides the mode. */
export const machineConfig = (kubelet: string, env = "a") =>
  stringify({
    version: "v1alpha1",
    machine: {
      type: "worker",
      kubelet: { image: `ghcr.io/siderolabs/kubelet:v${kubelet}` },
      env: { X: env },
    },
    cluster: { proxy: { image: `registry.k8s.io/kube-proxy:v${kubelet}` } },
  });

/**
 * Talos's CanApplyImmediate, cut down: `cluster` and `machine.kubelet` change
 * live; anything else (here `machine.env`) needs a reboot.
 */
function canApplyLive(running: string, next: string): boolean {
  const rest = (text: string) => {
    const { cluster: _c, ...config } = parse(text);
    const { kubelet: _k, ...machine } = config.machine;
    return JSON.stringify({ ...config, machine });
  };
  return rest(running) === rest(next);
}

interface Event {
  node: string;
  what: "apply" | "back";
  mode?: string;
}

export interface NodeState {
  running: string;
  /** Until when the node is down (rebooting, or still booting). */
  downUntil: number;
  /** Between the REBOOT answer and going down, Talos refuses more applies. */
  rebootingUntil: number;
  pending?: string;
  /** Answers to give before the node is up, first to last. */
  booting: grpc.ServiceError[];
}

export interface Request {
  data: Buffer;
  mode: string;
  dryRun: boolean;
}

/**
 * A control-plane apid forwarding by `node` metadata to made-up nodes that
 * behave as machined's ApplyConfiguration does: AUTO becomes NO_REBOOT when
 * every change applies live and REBOOT otherwise; after a REBOOT the node
 * refuses further applies (FAILED_PRECONDITION) until it goes down, is
 * unreachable while down, and comes back running the new config.
 */
export async function configFleet(
  apid: { ca: { cert: string }; server: Pem },
  nodes: Record<string, string>,
  opts: { rebootMs?: number; refuse?: (node: string) => grpc.ServiceError | undefined } = {},
) {
  const rebootMs = opts.rebootMs ?? 300;
  const state = new Map<string, NodeState>(
    Object.entries(nodes).map(([n, running]) => [
      n,
      { running, downUntil: 0, rebootingUntil: 0, booting: [] },
    ]),
  );
  const events: Event[] = [];
  const requests: (Request & { node: string })[] = [];
  const api = await startApid(apid.ca, apid.server, {
    ApplyConfiguration: (
      call: grpc.ServerUnaryCall<Request, unknown>,
      cb: grpc.sendUnaryData<unknown>,
    ) => {
      const node = call.metadata.get("node")[0] as string;
      const s = state.get(node);
      if (!s) return cb(fail(grpc.status.UNAVAILABLE, `no route to ${node}`));
      requests.push({ node, ...call.request });
      const now = Date.now();
      const early = s.booting.shift();
      if (early) return cb(early);
      if (now < s.rebootingUntil)
        return cb(
          fail(
            grpc.status.FAILED_PRECONDITION,
            "configuration was already applied and node is rebooting",
          ),
        );
      if (now < s.downUntil) return cb(fail(grpc.status.UNAVAILABLE, `${node} is rebooting`));
      if (s.pending) {
        s.running = s.pending;
        s.pending = undefined;
        events.push({ node, what: "back" });
      }
      const refused = opts.refuse?.(node);
      if (refused) return cb(refused);
      const next = call.request.data.toString();
      const live = canApplyLive(s.running, next);
      const mode = live ? "NO_REBOOT" : "REBOOT";
      if (!call.request.dryRun) {
        events.push({ node, what: "apply", mode });
        if (live) s.running = next;
        else {
          s.pending = next;
          s.rebootingUntil = now + Math.min(rebootMs / 3, 100);
          s.downUntil = now + rebootMs;
        }
      }
      cb(null, { messages: [{ metadata: { hostname: node }, mode, modeDetails: mode }] });
    },
  });
  return { address: api.address, port: api.port, events, requests, state };
}
