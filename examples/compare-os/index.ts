import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { MinosError } from "@minos/core";
import { FcosCluster } from "@minos/fcos";
import { FlatcarCluster } from "@minos/flatcar";
import { TalosCluster } from "@minos/talos";
import {
  configKey,
  exampleConfig,
  nginx,
  ProbeCollector,
  Probes,
  platformFromConfig,
  platformKeys,
} from "@minos/workload";
import * as pulumi from "@pulumi/pulumi";
import type { Compared } from "./comparison";
import { comparisonDocument, comparisonRow, renderComparison } from "./comparison";
import { footingDifferences } from "./footing";

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
  runId: configKey.string("the probes' run: a new value runs every probe again", {
    default: "1",
  }),
  allowDifferences: configKey.oneOf(
    ["false", "true"] as const,
    "`true` compares clusters that differ in more than their OS (the document lists how)",
    { default: "false" },
  ),
});
const { kubernetesVersion, expiresAt, runId } = config;
const allowDifferences = config.allowDifferences === "true";
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

// Equal footing: the clusters may differ in their OS and nothing else, unless allowed.
const machines = [
  { group: "control-plane", machineType: "default", count: shape.controlPlane.count },
  { group: "worker/general", machineType: "default", count: shape.nodePools.general.count },
];
const differences = footingDifferences(
  Object.entries(clusters).map(([name, c]) => ({
    name,
    platform: config.platform,
    kubernetesVersion: c.kubernetesVersion,
    cni: c.cni.plugin,
    machines,
  })),
);
if (differences.length > 0 && !allowDifferences)
  throw new MinosError(
    "clusters",
    differences.join("; "),
    "compare clusters that differ only in their OS, or set allowDifferences to true",
  );

// The same probes in every cluster, on its control plane and its worker; on
// AWS the Flatcar cluster's Bottlerocket worker takes none, so its results
// stay Flatcar's. Each cluster's collector runs them once its objects exist.
const nodes = shape.controlPlane.count + shape.nodePools.general.count;
const compared: Compared[] = Object.entries(clusters).map(([os, cluster]) => {
  const probes = new Probes(`probes-${os}`, {
    provider: cluster.provider,
    settings: {
      nodes,
      ...(bottlerocket &&
        os === "flatcar" && { skipNodesLabelled: { "minos.dev/os": "bottlerocket" } }),
    },
  });
  const collector = new ProbeCollector(`collect-${os}`, {
    cluster: os,
    kubeconfig: cluster.kubeconfig,
    probes,
    runId,
    // The load balancer and volume probe times the parts this cluster took.
    services: cluster.platformServices,
  });
  return { name: os, os, cluster, collector, machines };
});

const location =
  config.platform === "kvm"
    ? config.uri
    : config.platform === "gcp"
      ? (config["gcp:region"] ?? "unknown")
      : (new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION ?? "unknown");
const minosVersion: string = require("@minos/core/package.json").version;

/** The run as the comparison document (docs/comparison.md): `minos compare export` writes it to a file. */
export const comparison = comparisonDocument(compared, {
  platform: config.platform,
  location,
  minosVersion,
  note: `compare-os on ${config.platform}, run ${runId}${bottlerocket ? "; the Flatcar cluster's Bottlerocket worker ran no probe" : ""}${differences.length > 0 ? `; allowed differences: ${differences.join("; ")}` : ""}`,
});
const rows = pulumi.all(
  Object.entries(clusters).map(([os, cluster]) => comparisonRow(os, cluster)),
);
/** OS × {time to API ready, time to nodes Ready, kernel, runtime, kubelet, user-data bytes}: `pulumi stack output comparisonTable`. */
export const comparisonTable = rows.apply(renderComparison);
export const kubeconfigs = Object.fromEntries(
  Object.entries(clusters).map(([os, c]) => [os, c.kubeconfig]),
);
export const bottlerocketVariant = bottlerocket?.variant;
