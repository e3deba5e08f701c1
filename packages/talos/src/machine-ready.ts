import * as grpc from "@grpc/grpc-js";
import * as protobuf from "protobufjs";
import { MACHINE_PROTO } from "./machine-api.js";

/** Where Talos puts a runtime event's payload name (`runtime/events.go`). */
export const MACHINE_STATUS_URL = "talos/runtime/machine.MachineStatusEvent";

interface MachineStatus {
  stage?: string;
  status?: { ready?: boolean; unmetConditions?: { name?: string; reason?: string }[] };
}

interface EventMessage {
  // proto-loader keeps Any's own field names (type_url), whatever keepCase says.
  data?: { type_url?: string; typeUrl?: string; value?: Buffer };
}

let statusType: protobuf.Type | undefined;
/** `MachineStatusEvent` from the shipped `.proto`, loaded once. */
export function machineStatusType(): protobuf.Type {
  statusType ??= protobuf.loadSync(MACHINE_PROTO).lookupType("machine.MachineStatusEvent");
  return statusType;
}

/** A MachineStatusEvent's payload as plain data, or undefined for any other event. */
export function machineStatusOf(event: EventMessage): MachineStatus | undefined {
  const url = event.data?.type_url ?? event.data?.typeUrl;
  if (url !== MACHINE_STATUS_URL || !event.data?.value) return undefined;
  const type = machineStatusType();
  return type.toObject(type.decode(event.data.value), { enums: String, defaults: true });
}

/** What a machine status still lacks, as `talosctl` prints it. */
function unmet(status: MachineStatus): string {
  const conditions = status.status?.unmetConditions ?? [];
  const what = conditions.map((c) => `${c.name}: ${c.reason}`).join("; ");
  return `stage ${status.stage ?? "UNKNOWN"}, not ready${what ? ` (${what})` : ""}`;
}

/**
 * Waits until `node` reports itself ready: a MachineStatusEvent in stage
 * RUNNING with `ready` set, which is what `talosctl upgrade --wait` waits
 * for. Talos sets it once its services are up, its static pods (on a control
 * plane: kube-apiserver, controller-manager, scheduler) are running and
 * ready, and its Kubernetes node is Ready (`MachineStatusController`), so a
 * control-plane node that reports ready has its API server serving. Events
 * kept since the node booted come first (`tail_events` -1), so a node that
 * became ready before the stream opened answers at once. Resolves with
 * undefined when ready, or with the last status seen at the deadline;
 * `seen` hears each status that is not ready yet.
 */
export function machineReady(
  client: grpc.Client,
  node: string,
  deadline: number,
  seen?: (status: string) => void,
): Promise<string | undefined> {
  const events = (client as unknown as Record<string, StreamMethod>).Events;
  if (!events) throw new Error("minos: MachineService has no Events");
  const metadata = new grpc.Metadata();
  metadata.set("node", node);
  return new Promise((resolve) => {
    let last = "no machine status yet";
    let settled = false;
    const finish = (answer: string | undefined) => {
      if (settled) return;
      settled = true;
      stream.cancel();
      resolve(answer);
    };
    const stream = events.call(client, { tailEvents: -1 }, metadata, {
      deadline: Math.max(deadline, Date.now() + 1000),
    });
    stream.on("data", (event: EventMessage) => {
      const status = machineStatusOf(event);
      if (!status) return;
      if (status.stage === "RUNNING" && status.status?.ready) return finish(undefined);
      const now = unmet(status);
      if (now !== last) seen?.(now);
      last = now;
    });
    stream.on("error", (error: grpc.ServiceError) => {
      if (error.code !== grpc.status.DEADLINE_EXCEEDED && error.code !== grpc.status.CANCELLED)
        last = `${grpc.status[error.code]}: ${error.details}`;
      finish(last);
    });
    stream.on("end", () => finish(last));
  });
}

type StreamMethod = (
  request: object,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
) => grpc.ClientReadableStream<EventMessage>;
