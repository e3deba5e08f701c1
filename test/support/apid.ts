import * as grpc from "@grpc/grpc-js";
import { machineService } from "../../packages/talos/src/machine-api.js";
import { MACHINE_STATUS_URL, machineStatusType } from "../../packages/talos/src/machine-ready.js";
import type { Pem } from "./tls.js";
import { testCa } from "./tls.js";

/** A local stand-in for Talos's apid. */
export interface Apid {
  address: string;
  port: number;
  server: grpc.Server;
}

const running: grpc.Server[] = [];

/**
 * Serves `handlers` for `machine.MachineService` over mutual TLS against the
 * Talos OS CA, as apid does: clients need a certificate that CA signed.
 * `port` 0 picks a free one.
 */
export async function startApid(
  ca: { cert: string },
  serverPem: Pem,
  handlers: grpc.UntypedServiceImplementation,
  port = 0,
): Promise<Apid> {
  const server = new grpc.Server();
  server.addService(machineService().service, handlers);
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(ca.cert),
    [{ private_key: Buffer.from(serverPem.key), cert_chain: Buffer.from(serverPem.cert) }],
    true,
  );
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, credentials, (e, p) => (e ? reject(e) : resolve(p))),
  );
  running.push(server);
  return { address: `127.0.0.1:${bound}`, port: bound, server };
}

/** Stops every stand-in started so far (an afterEach). */
export function stopApids(): void {
  for (const s of running.splice(0)) s.forceShutdown();
}

/** Talos's OS CA (Ed25519, as Talos makes it), apid's certificate and an `os:admin` client it signed. */
export async function talosPki() {
  const ca = await testCa("talos", "ed25519");
  return { ca, server: await ca.server(), admin: await ca.client("O=os:admin,CN=minos") };
}

/** A gRPC error as apid answers one. */
export const grpcError = (code: grpc.status, details: string) =>
  Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });

/** A runtime event carrying a MachineStatusEvent, packed in an Any as machined packs it. */
export function machineStatusEvent(
  stage: string,
  ready: boolean,
  unmetConditions: { name: string; reason: string }[] = [],
) {
  const type = machineStatusType();
  const message = type.fromObject({ stage, status: { ready, unmetConditions } });
  const value = Buffer.from(type.encode(message).finish());
  return { data: { type_url: MACHINE_STATUS_URL, value } };
}
