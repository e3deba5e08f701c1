import { aws } from "@minos/aws";
import { FlatcarCluster } from "@minos/flatcar";
import { configKey, exampleConfig, nginx } from "@minos/workload";

// Every key this program reads; any other key of the stack's config is refused.
const config = exampleConfig({
  apiAllowedCidrs: configKey.list(
    "who may reach the API (open to the world unless you narrow it)",
    { default: ["0.0.0.0/0"] },
  ),
  kubernetesVersion: configKey.string("Kubernetes release", { default: "1.37.1" }),
  controlPlaneCount: configKey.integer(
    "control-plane nodes: 1, 3, 5 or 7, behind the load balancer",
    {
      default: 1,
    },
  ),
  sysextHashes: configKey.object<Record<string, string>>(
    "Ignition-style hashes of the Kubernetes sysext by file name",
  ),
});

// One control-plane node (or 3, 5: controlPlaneCount) and two workers on a fresh
// VPC (private subnets + NAT).
const cluster = new FlatcarCluster("demo", {
  platform: aws({
    // The API is open to the internet unless you narrow it: set apiAllowedCidrs.
    apiAllowedCidrs: config.apiAllowedCidrs,
  }),
  kubernetesVersion: config.kubernetesVersion,
  channel: "stable",
  controlPlane: { count: config.controlPlaneCount },
  nodePools: { general: { count: 2 } },
  // Pin the Kubernetes sysext: values from the sysext-bakery's SHA256SUMS.
  sysext: { hashes: config.sysextHashes ?? {} },
  tags: { "minos:example": "aws-flatcar" },
});

// The same workload every minos example runs, sent through the cluster's provider,
// which waits until the API server answers.
const web = nginx("nginx", cluster.provider, cluster.addons, {
  services: cluster.platformServices,
});

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
export const nodePools = cluster.nodePools;
export const nginxService = web.service.metadata.name;
/** Where nginx answers from outside the cluster: the platform's load balancer. */
export const nginxAddress = web.address;
