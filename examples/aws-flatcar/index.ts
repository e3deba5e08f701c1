import { aws } from "@minos/aws";
import { FlatcarCluster } from "@minos/flatcar";
import { nginx } from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();

// One control-plane node and two workers on a fresh VPC (private subnets + NAT).
const cluster = new FlatcarCluster("demo", {
  platform: aws({
    // The API is open to the internet unless you narrow it: set apiAllowedCidrs.
    apiAllowedCidrs: config.getObject<string[]>("apiAllowedCidrs") ?? ["0.0.0.0/0"],
  }),
  kubernetesVersion: config.get("kubernetesVersion") ?? "1.37.1",
  channel: "stable",
  controlPlane: { count: 1 },
  nodePools: { general: { count: 2 } },
  // Pin the Kubernetes sysext: values from the sysext-bakery's SHA256SUMS.
  sysext: { hashes: config.getObject<Record<string, string>>("sysextHashes") ?? {} },
  tags: { "minos:example": "aws-flatcar" },
});

// The same workload every minos example runs, sent through the cluster's provider,
// which waits until the API server answers.
const { service } = nginx("nginx", cluster.provider, cluster.addons);

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
export const nodePools = cluster.nodePools;
export const nginxService = service.metadata.name;
