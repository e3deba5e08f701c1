import { aws } from "@minos/aws";
import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { FlatcarCluster } from "@minos/flatcar";
import { configKey, exampleConfig, nginx } from "@minos/workload";

// Every key this program reads; any other key of the stack's config is refused.
const config = exampleConfig({
  // Bottlerocket's aws-k8s variants must match this minor.
  kubernetesVersion: configKey.string(
    "Kubernetes release; Bottlerocket's variant follows its minor",
    { default: "1.35.2" },
  ),
  apiAllowedCidrs: configKey.list(
    "who may reach the API (open to the world unless you narrow it)",
    { default: ["0.0.0.0/0"] },
  ),
  sysextHashes: configKey.object<Record<string, string>>(
    "hashes of Flatcar's Kubernetes sysext, by file name",
  ),
});
const OS_LABEL = "minos.dev/os";

// A Flatcar control plane and one Flatcar pool on a fresh VPC...
const cluster = new FlatcarCluster("mixed", {
  platform: aws({
    // The API is open to the internet unless you narrow it: set apiAllowedCidrs.
    apiAllowedCidrs: config.apiAllowedCidrs,
  }),
  kubernetesVersion: config.kubernetesVersion,
  controlPlane: { count: 1 },
  nodePools: { flatcar: { count: 1, labels: { [OS_LABEL]: "flatcar" } } },
  sysext: { hashes: config.sysextHashes ?? {} },
  tags: { "minos:example": "aws-mixed" },
});

// ...and a Bottlerocket pool joining it through the same join information,
// in the same network and security groups.
const rocket = new BottlerocketNodeGroup("rocket", {
  cluster,
  nodePools: { bottlerocket: { count: 1, labels: { [OS_LABEL]: "bottlerocket" } } },
  tags: { "minos:example": "aws-mixed" },
});

// The same workload on each OS, pinned by node selector, to compare them side by side.
const perOs = Object.fromEntries(
  ["flatcar", "bottlerocket"].map((os) => [
    os,
    nginx(`nginx-${os}`, cluster.provider, cluster.addons, {
      nodeSelector: { [OS_LABEL]: os },
      services: cluster.platformServices,
    }),
  ]),
);

export const endpoint = cluster.endpoint;
export const kubeconfig = cluster.kubeconfig;
export const controlPlaneIps = cluster.controlPlaneIps;
export const bottlerocketVariant = rocket.variant;
export const services = Object.fromEntries(
  Object.entries(perOs).map(([os, w]) => [os, w.service.metadata.name]),
);
