import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/** Talos's API daemon (apid) port. */
export const APID_PORT = 50000;

/** The `.proto` this package ships, beside `dist/` and `src/`. */
export const MACHINE_PROTO = join(__dirname, "..", "proto", "machine.proto");

/** `MachineService` as grpc-js sees it: a client constructor with its service definition. */
export type MachineServiceClient = grpc.ServiceClientConstructor;

/** Loads `machine.MachineService` from the shipped `.proto`. */
export function machineService(): MachineServiceClient {
  const definition = protoLoader.loadSync(MACHINE_PROTO, {
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    machine: { MachineService: MachineServiceClient };
  };
  return loaded.machine.MachineService;
}

/** One Talos API endpoint and the credentials to call it. */
export interface MachineTarget {
  /** `host:port` of apid (port 50000), or of a load balancer in front of it. */
  address: string;
  /** The Talos OS CA, which signed apid's certificate. */
  caPem: string;
  /** An `os:admin` client certificate signed by the Talos OS CA, and its key. */
  clientCertPem: string;
  clientKeyPem: string;
  /** The name apid's certificate must carry, when `address` is not it. */
  serverName?: string;
}

/** A MachineService client over mutual TLS; close it when done. */
export function machineClient(target: MachineTarget): grpc.Client {
  const MachineService = machineService();
  const credentials = grpc.credentials.createSsl(
    Buffer.from(target.caPem),
    Buffer.from(target.clientKeyPem),
    Buffer.from(target.clientCertPem),
  );
  return new MachineService(target.address, credentials, {
    ...(target.serverName && { "grpc.ssl_target_name_override": target.serverName }),
    // Each attempt makes a fresh connection: no stale backoff from grpc-js itself.
    "grpc.initial_reconnect_backoff_ms": 200,
    "grpc.max_reconnect_backoff_ms": 1000,
  });
}

/**
 * Codes that mean "not now" on a running cluster: the node is booting or
 * rebooting, apid cannot reach it yet, or it is busy with another request.
 */
export const NOT_NOW = new Set([
  grpc.status.UNAVAILABLE,
  grpc.status.DEADLINE_EXCEEDED,
  grpc.status.FAILED_PRECONDITION,
  grpc.status.INTERNAL,
]);

/** A unary call's outcome, without throwing. */
export type Answer<T> = { ok: true; response: T } | { ok: false; error: grpc.ServiceError };

/**
 * Calls one unary method of a loaded client. `node` asks apid to forward the
 * call to that node (its `node` metadata), as talosctl's `--nodes` does.
 */
export function unary<T>(
  client: grpc.Client,
  method: string,
  request: object,
  deadlineMs: number,
  node?: string,
): Promise<Answer<T>> {
  const fn = (client as unknown as Record<string, UnaryMethod<T>>)[method];
  if (!fn) throw new Error(`minos: MachineService has no ${method}`);
  const metadata = new grpc.Metadata();
  if (node) metadata.set("node", node);
  return new Promise((resolve) => {
    fn.call(client, request, metadata, { deadline: Date.now() + deadlineMs }, (error, response) =>
      resolve(error ? { ok: false, error } : { ok: true, response: response as T }),
    );
  });
}

type UnaryMethod<T> = (
  request: object,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  callback: (error: grpc.ServiceError | null, response?: T) => void,
) => void;
