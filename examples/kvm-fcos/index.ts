import { FcosCluster } from "@minos/fcos";
import { nginx, platformFromConfig } from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();

const sysextImage = config.getObject<{ url: string; sha256: string }>("sysextImage");
// Each platform has its own default size; set machineType to override it.
const machineType = config.get("machineType");
const size = machineType ? { machineType } : {};

// One control-plane node and one worker. The image comes from the stream's
// metadata, read once and kept in the stack's state; Kubernetes and CRI-O from
// the community sysext, fetched on first boot unless pinned.
const cluster = new FcosCluster("fcos", {
  // kvm by default; `pulumi config set platform aws` (or gcp) for the same cluster there.
  platform: platformFromConfig({ cidr: "10.78.0.0/24" }),
  kubernetesVersion: config.get("kubernetesVersion") ?? "1.35.2",
  stream: "stable",
  controlPlane: { count: 1, ...size },
  nodePools: { general: { count: 1, ...size } },
  ...(sysextImage && { sysext: { image: sysextImage } }),
  // Optional: your key, to `ssh core@<node>`.
  sshAuthorizedKeys: config.getObject<string[]>("sshAuthorizedKeys") ?? [],
  tags: { "minos-example": "kvm-fcos" },
});

const { service } = nginx("nginx", cluster.provider, cluster.addons);

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
export const nginxService = service.metadata.name;
