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
