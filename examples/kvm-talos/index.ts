import { TalosCluster } from "@minos/talos";
import { nginx, platformFromConfig } from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();

// Each platform has its own default size; set machineType to override it.
const machineType = config.get("machineType");
const size = machineType ? { machineType } : {};
// The SHA-256 of the Image Factory's nocloud .raw.xz you checked; without it the image is trusted on HTTPS alone.
const kvmImageSha256 = config.get("kvmImageSha256");

// `pulumi config set controlPlaneCount 3` (or 5) for a highly available control
// plane: on KVM the endpoint is then a virtual address that Talos itself moves
// to a surviving node; in the clouds, a load balancer in front of all three.
const controlPlaneCount = config.getNumber("controlPlaneCount") ?? 1;

// On AWS or GCP, `pulumi config set controlPlaneDelivery machine-api` keeps the
// control plane's config (with its CA keys) out of user-data: its machines boot
// without one and minos hands it over Talos's API (README, "Where secrets live").
const controlPlaneDelivery = config.get("controlPlaneDelivery") as
  | "user-data"
  | "machine-api"
  | undefined;

// One control-plane node and one worker. minos makes Talos's secrets and
// machine configs, hands each node its config at first boot, and bootstraps
// etcd over Talos's API; Talos deploys Flannel.
const cluster = new TalosCluster("talos", {
  // kvm by default; `pulumi config set platform aws` (or gcp) for the same cluster there.
  platform: platformFromConfig({ cidr: "10.79.0.0/24" }),
  kubernetesVersion: config.get("kubernetesVersion") ?? "1.36.3",
  talosVersion: config.get("talosVersion") ?? "1.13.9",
  controlPlane: { count: controlPlaneCount, ...size },
  nodePools: { general: { count: 1, ...size } },
  ...(kvmImageSha256 && { kvmImageSha256 }),
  ...(controlPlaneDelivery && { controlPlaneDelivery }),
  tags: { "minos-example": "kvm-talos" },
});

const { service } = nginx("nginx", cluster.provider, cluster.addons);

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const talosconfig = cluster.talosconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
/** What changed in the nodes' configs, readable in `pulumi preview --diff`. */
export const machineConfigs = cluster.nodeConfigsRedacted;
export const nginxService = service.metadata.name;
