import * as grpc from "@grpc/grpc-js";
import { machineService } from "../../packages/talos/src/machine-api.js";
import { grpcError, startApid } from "./apid.js";
import { tcpProxy } from "./tcp-round-robin.js";
import type { Pem } from "./tls.js";
import { testCa } from "./tls.js";

/** A stand-in for one Talos node's apid across its first config. */
export interface MaintenanceNode {
  /** The port its apid answers on (the load balancer's target). */
  port: number;
  /** The configs it took in maintenance mode, as sent. */
  received: Buffer[];
  /** Whether it has a config (and so wants a client certificate). */
  configured(): boolean;
  close(): Promise<void>;
}

/**
 * One node as Talos runs apid on port 50000: with no config (maintenance
 * mode) TLS with a certificate of its own making the client cannot verify,
 * no client certificate asked for, and `ApplyConfiguration` taken from
 * anyone, once; from then on, mutual TLS against the Talos OS CA
 * (`startApid`), which refuses a client without a certificate in the TLS
 * handshake. The switch is by connection, as apid restarts with its new
 * TLS config: connections made after the apply meet the configured apid.
 * `configured: true` makes a node that had its config from the start.
 */
export async function maintenanceNode(
  talos: { ca: { cert: string }; server: Pem },
  options: { configured?: boolean } = {},
): Promise<MaintenanceNode> {
  const received: Buffer[] = [];
  let configured = options.configured ?? false;

  const maintenance = await maintenanceApid({
    ApplyConfiguration(
      call: grpc.ServerUnaryCall<{ data: Buffer }, unknown>,
      done: grpc.sendUnaryData<unknown>,
    ) {
      // A config is complete: machined's own check refuses a caller without the admin role.
      if (configured) return done(grpcError(grpc.status.PERMISSION_DENIED, "not authorized"));
      received.push(Buffer.from(call.request.data));
      configured = true;
      done(null, {
        messages: [{ mode: "NO_REBOOT", modeDetails: "Applied configuration without a reboot" }],
      });
    },
  });
  const mutual = await startApid(talos.ca, talos.server, {
    ApplyConfiguration: (_call: unknown, done: grpc.sendUnaryData<unknown>) =>
      done(grpcError(grpc.status.INTERNAL, "a configured node's apply needs a config of its own")),
  });

  const front = await tcpProxy(() => (configured ? mutual.port : maintenance.port));
  return {
    port: front.port,
    received,
    configured: () => configured,
    close: async () => {
      maintenance.server.forceShutdown();
      await front.close();
    },
  };
}

/**
 * apid as Talos serves it in maintenance mode: TLS with a certificate of
 * the node's own making, and no client certificate asked for.
 */
export async function maintenanceApid(
  handlers: grpc.UntypedServiceImplementation,
): Promise<{ server: grpc.Server; port: number }> {
  const own = await (await testCa("talos-maintenance", "ed25519")).server();
  const server = new grpc.Server();
  server.addService(machineService().service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      "127.0.0.1:0",
      grpc.ServerCredentials.createSsl(
        null,
        [{ private_key: Buffer.from(own.key), cert_chain: Buffer.from(own.cert) }],
        false,
      ),
      (e, p) => (e ? reject(e) : resolve(p)),
    ),
  );
  return { server, port };
}
