import { TalosCluster } from "@minos/talos";
import { configKey, exampleConfig, nginx, platformFromConfig, platformKeys } from "@minos/workload";

// Every key this program reads; any other key of the stack's config is refused.
const config = exampleConfig({
  ...platformKeys({ cidr: "10.79.0.0/24" }),
  talosVersion: configKey.string("Talos release (1.13 line)", { default: "1.13.9" }),
  kubernetesVersion: configKey.string("Kubernetes release Talos 1.13 runs (1.31 to 1.36)", {
    default: "1.36.3",
  }),
  controlPlaneCount: configKey.integer(
    "control-plane nodes: 1, 3, 5 or 7; more than 1 on kvm share a virtual address",
    { default: 1 },
  ),
  controlPlaneDelivery: configKey.oneOf<"user-data" | "machine-api">(
    ["user-data", "machine-api"],
    "aws, gcp: `machine-api` hands control planes their config over Talos's API",
    { default: "user-data" },
  ),
  machineType: configKey.string("e.g. `2cpu-4gb` (kvm), `t3.medium` (aws), `e2-standard-2` (gcp)", {
    unset: "the platform's",
  }),
  kvmImageSha256: configKey.string("kvm: SHA-256 of the NoCloud image"),
});

// Each platform has its own default size; set machineType to override it.
const size = config.machineType ? { machineType: config.machineType } : {};
// The SHA-256 of the Image Factory's nocloud .raw.xz you checked; without it the image is trusted on HTTPS alone.
const kvmImageSha256 = config.kvmImageSha256;

// `pulumi config set controlPlaneCount 3` (or 5) for a highly available control
// plane: on KVM the endpoint is then a virtual address that Talos itself moves
// to a surviving node; in the clouds, a load balancer in front of all three.
// On AWS or GCP, `pulumi config set controlPlaneDelivery machine-api` keeps the
// control plane's config (with its CA keys) out of user-data: its machines boot
// without one and minos hands it over Talos's API (README, "Where secrets live").

// One control-plane node and one worker. minos makes Talos's secrets and
// machine configs, hands each node its config at first boot, and bootstraps
// etcd over Talos's API; Talos deploys Flannel.
const cluster = new TalosCluster("talos", {
  // kvm by default; `pulumi config set platform aws` (or gcp) for the same cluster there.
  platform: platformFromConfig(config),
  kubernetesVersion: config.kubernetesVersion,
  talosVersion: config.talosVersion,
  controlPlane: { count: config.controlPlaneCount, ...size },
  nodePools: { general: { count: 1, ...size } },
  ...(kvmImageSha256 && { kvmImageSha256 }),
  controlPlaneDelivery: config.controlPlaneDelivery,
  tags: { "minos-example": "kvm-talos" },
});

const web = nginx("nginx", cluster.provider, cluster.addons, {
  services: cluster.platformServices,
});

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const talosconfig = cluster.talosconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
/** What changed in the nodes' configs, readable in `pulumi preview --diff`. */
export const machineConfigs = cluster.nodeConfigsRedacted;
export const nginxService = web.service.metadata.name;
/** Where nginx answers from outside the cluster: the platform's load balancer. */
export const nginxAddress = web.address;
