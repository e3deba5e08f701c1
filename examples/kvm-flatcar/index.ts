import { FlatcarCluster } from "@minos/flatcar";
import { configKey, exampleConfig, nginx, platformFromConfig, platformKeys } from "@minos/workload";

// Every key this program reads; any other key of the stack's config is refused.
const config = exampleConfig({
  ...platformKeys({ cidr: "10.77.0.0/24" }),
  kubernetesVersion: configKey.string("Kubernetes release", { default: "1.37.1" }),
  controlPlaneCount: configKey.integer(
    "control-plane nodes: 1, 3, 5 or 7; more than 1 on kvm share a virtual address",
    { default: 1 },
  ),
  machineType: configKey.string("e.g. `2cpu-4gb` (kvm), `t3.medium` (aws), `e2-standard-2` (gcp)", {
    unset: "the platform's",
  }),
  sysextHashes: configKey.object<Record<string, string>>(
    "Ignition-style hashes of the Kubernetes sysext by file name",
  ),
  sshAuthorizedKeys: configKey.list("SSH keys for the `core` user", { default: [] }),
});

// `pulumi config set controlPlaneCount 3` (or 5) for a highly available control
// plane: on kvm the endpoint is then a virtual address (.5 of the cidr) that
// kube-vip moves to a surviving node; in the clouds, a load balancer.
const size = config.machineType ? { machineType: config.machineType } : {};

// One control-plane node and one worker, on this machine's libvirt by default
// on their own NAT network: the endpoint is the control-plane node's fixed address.
const cluster = new FlatcarCluster("lab", {
  // kvm by default; `pulumi config set platform aws` (or gcp) for the same cluster there.
  platform: platformFromConfig(config),
  kubernetesVersion: config.kubernetesVersion,
  channel: "stable",
  controlPlane: { count: config.controlPlaneCount, ...size },
  nodePools: { general: { count: 1, ...size } },
  sysext: { hashes: config.sysextHashes ?? {} },
  // Optional: your key, to `ssh core@10.77.0.10`.
  sshAuthorizedKeys: config.sshAuthorizedKeys,
  tags: { "minos-example": "kvm-flatcar" },
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
