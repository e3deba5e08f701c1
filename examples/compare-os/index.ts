import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { FcosCluster } from "@minos/fcos";
import { FlatcarCluster } from "@minos/flatcar";
import { TalosCluster } from "@minos/talos";
import { nginx, platformFromConfig } from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";
import { comparisonRow, renderComparison } from "./comparison.js";

const config = new pulumi.Config();
// One Kubernetes release every OS here can run, so the comparison is about the OS.
const kubernetesVersion = config.get("kubernetesVersion") ?? "1.35.2";
const shape = { controlPlane: { count: 1 }, nodePools: { general: { count: 1 } } };
const tags = { "minos-example": "compare-os" };
// Short-lived clusters: each on its own network, same shape, same workload.
const platform = (cidr: string, cidrKey: string) => platformFromConfig({ cidr, cidrKey });

const clusters = {
  flatcar: new FlatcarCluster("cmp-flatcar", {
    platform: platform("10.90.0.0/24", "flatcarCidr"),
    kubernetesVersion,
    ...shape,
    tags,
  }),
  fcos: new FcosCluster("cmp-fcos", {
    platform: platform("10.91.0.0/24", "fcosCidr"),
    kubernetesVersion,
    ...shape,
    tags,
  }),
  talos: new TalosCluster("cmp-talos", {
    platform: platform("10.92.0.0/24", "talosCidr"),
    kubernetesVersion,
    ...shape,
    tags,
  }),
};

// On AWS, Bottlerocket workers join the Flatcar cluster.
const onAws = (config.get("platform") ?? "kvm") === "aws";
const bottlerocket = onAws
  ? new BottlerocketNodeGroup("cmp-bottlerocket", {
      cluster: clusters.flatcar,
      nodePools: { general: { count: 1, labels: { "minos.dev/os": "bottlerocket" } } },
      tags,
    })
  : undefined;

for (const [os, cluster] of Object.entries(clusters)) nginx(`nginx-${os}`, cluster.provider);

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
