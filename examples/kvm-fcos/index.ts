import { FcosCluster } from "@minos/fcos";
import { configKey, exampleConfig, nginx, platformFromConfig, platformKeys } from "@minos/workload";

// Every key this program reads; any other key of the stack's config is refused.
const config = exampleConfig({
  ...platformKeys({ cidr: "10.78.0.0/24" }),
  kubernetesVersion: configKey.string("Kubernetes release; its minor picks the sysext", {
    default: "1.35.2",
  }),
  controlPlaneCount: configKey.integer(
    "control-plane nodes: 1, 3, 5 or 7; more than 1 on kvm share a virtual address",
    { default: 1 },
  ),
  machineType: configKey.string("e.g. `2cpu-4gb` (kvm), `t3.medium` (aws), `e2-standard-2` (gcp)", {
    unset: "the platform's",
  }),
  sysextImage: configKey.object<{ url: string; sha256: string }>(
    "`{ url, sha256 }` of a pinned `kubernetes-cri-o` build",
  ),
  sshAuthorizedKeys: configKey.list("SSH keys for the `core` user", { default: [] }),
});

// Each platform has its own default size; set machineType to override it.
const size = config.machineType ? { machineType: config.machineType } : {};
const sysextImage = config.sysextImage;

// One control-plane node and one worker. The image comes from the stream's
// metadata, read once and kept in the stack's state; Kubernetes and CRI-O from
// the community sysext, fetched on first boot unless pinned.
// `pulumi config set controlPlaneCount 3` (or 5) for a highly available control
// plane: on kvm the endpoint is then a virtual address (.5 of the cidr) that
// kube-vip moves to a surviving node; in the clouds, a load balancer.
const cluster = new FcosCluster("fcos", {
  // kvm by default; `pulumi config set platform aws` (or gcp) for the same cluster there.
  platform: platformFromConfig(config),
  kubernetesVersion: config.kubernetesVersion,
  stream: "stable",
  controlPlane: { count: config.controlPlaneCount, ...size },
  nodePools: { general: { count: 1, ...size } },
  ...(sysextImage && { sysext: { image: sysextImage } }),
  // Optional: your key, to `ssh core@<node>`.
  sshAuthorizedKeys: config.sshAuthorizedKeys,
  tags: { "minos-example": "kvm-fcos" },
});

const web = nginx("nginx", cluster.provider, cluster.addons, {
  services: cluster.platformServices,
});

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
export const nginxService = web.service.metadata.name;
/** Where nginx answers from outside the cluster: the platform's load balancer. */
export const nginxAddress = web.address;
