import { FlatcarCluster } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { nginx } from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const gcpConfig = new pulumi.Config("gcp");

// One control-plane node and two workers in a new VPC; nodes have no external IPs
// and reach the internet through Cloud NAT.
const cluster = new FlatcarCluster("demo", {
  platform: gcp({
    region: gcpConfig.require("region"),
    // The API is open to the internet unless you narrow it: set apiAllowedCidrs.
    apiAllowedCidrs: config.getObject<string[]>("apiAllowedCidrs") ?? ["0.0.0.0/0"],
  }),
  kubernetesVersion: config.get("kubernetesVersion") ?? "1.37.1",
  channel: "stable",
  controlPlane: { count: 1 },
  nodePools: { general: { count: 2 } },
  sysext: { hashes: config.getObject<Record<string, string>>("sysextHashes") ?? {} },
  tags: { "minos-example": "gcp-flatcar" },
});

const { service } = nginx("nginx", cluster.provider, cluster.addons);

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
export const nodePools = cluster.nodePools;
export const nginxService = service.metadata.name;
