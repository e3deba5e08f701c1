/**
 * @minos/talos: Talos Linux for minos. So far: the etcd bootstrap call over
 * Talos's machine API. Secrets, machine configuration and `TalosCluster`
 * follow.
 */
export {
  type BootstrapOptions,
  type BootstrapOutcome,
  type BootstrapTarget,
  bootstrapEtcd,
} from "./bootstrap-client.js";
export { EtcdBootstrap, type EtcdBootstrapArgs } from "./etcd-bootstrap.js";
export { APID_PORT, MACHINE_PROTO, machineService } from "./machine-api.js";
