import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { FcosCluster } from "@minos/fcos";
import { FlatcarCluster } from "@minos/flatcar";
import { TalosCluster } from "@minos/talos";
import {
  configKey,
  exampleConfig,
  nginx,
  Probes,
  platformFromConfig,
  platformKeys,
} from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";
import { comparisonRow, renderComparison } from "./comparison";

// Every key this program reads; any other key of the stack's config is refused.
const config = exampleConfig({
  // Short-lived clusters: each on its own network, same shape, same workload.
  ...platformKeys({
    flatcarCidr: "10.90.0.0/24",
    fcosCidr: "10.91.0.0/24",
    talosCidr: "10.92.0.0/24",
  }),
  // One Kubernetes release every OS here can run, so the comparison is about the OS.
  kubernetesVersion: configKey.string("Kubernetes release of every cluster", {
    default: "1.35.2",
  }),
  expiresAt: configKey.string(
    "when the clusters may be deleted (ISO 8601 UTC), tagged for cleanup jobs",
  ),
});
const { kubernetesVersion, expiresAt } = config;
const shape = { controlPlane: { count: 1 }, nodePools: { general: { count: 1 } } };
const tags = { "minos-example": "compare-os" };
const common = { kubernetesVersion, ...shape, tags, ...(expiresAt && { expiresAt }) };
const platform = (cidr: string) => platformFromConfig(config, cidr);

const clusters = {
  flatcar: new FlatcarCluster("cmp-flatcar", { platform: platform(config.flatcarCidr), ...common }),
  fcos: new FcosCluster("cmp-fcos", { platform: platform(config.fcosCidr), ...common }),
  talos: new TalosCluster("cmp-talos", { platform: platform(config.talosCidr), ...common }),
};

// On AWS, Bottlerocket workers join the Flatcar cluster.
const onAws = config.platform === "aws";
const bottlerocket = onAws
  ? new BottlerocketNodeGroup("cmp-bottlerocket", {
      cluster: clusters.flatcar,
      nodePools: { general: { count: 1, labels: { "minos.dev/os": "bottlerocket" } } },
      tags,
    })
  : undefined;

for (const [os, cluster] of Object.entries(clusters))
  nginx(`nginx-${os}`, cluster.provider, cluster.addons, { services: cluster.platformServices });

// The same probes in every cluster, on its control plane and its worker; on
// AWS the Flatcar cluster's Bottlerocket worker takes none, so its results
// stay Flatcar's.
const nodes = shape.controlPlane.count + shape.nodePools.general.count;
for (const [os, cluster] of Object.entries(clusters))
  new Probes(`probes-${os}`, {
    provider: cluster.provider,
    settings: {
      nodes,
      ...(bottlerocket &&
        os === "flatcar" && { skipNodesLabelled: { "minos.dev/os": "bottlerocket" } }),
    },
  });

const rows = pulumi.all(
  Object.entries(clusters).map(([os, cluster]) => comparisonRow(os, cluster)),
);
/** OS × {time to API ready, time to nodes Ready, kernel, runtime, kubelet, user-data bytes}. */
export const comparison = rows;
/** The same, as a table: `pulumi stack output comparisonTable`. */
export const comparisonTable = rows.apply(renderComparison);
export const kubeconfigs = Object.fromEntries(
  Object.entries(clusters).map(([os, c]) => [os, c.kubeconfig]),
);
export const bottlerocketVariant = bottlerocket?.variant;
