import { aws } from "@minos/aws";
import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import type { Cluster, MinosPlatform, Platform } from "@minos/core";
import { FcosCluster } from "@minos/fcos";
import { FlatcarCluster } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import { TalosCluster } from "@minos/talos";
import { nginx } from "@minos/workload";
import type * as pulumi from "@pulumi/pulumi";
import { mockFcosStream } from "./fcos-stream.js";
import type { EngineRecording, RegisteredResource } from "./pulumi-mocks.js";
import { installMocks, mockOutputs, recordEngine, resolved } from "./pulumi-mocks.js";

/** Names for the clusters (and, on AWS, the Bottlerocket group) of one program. */
export interface EveryOsNames {
  flatcar: string;
  fcos: string;
  talos: string;
  bottlerocket: string;
  /** A pool name every cluster uses. */
  pool: string;
}

export const DEFAULT_NAMES: EveryOsNames = {
  flatcar: "flatcar",
  fcos: "fcos",
  talos: "talos",
  bottlerocket: "bottlerocket",
  pool: "general",
};

/** What one run of the program registered and made. */
export interface EveryOsRun extends EngineRecording {
  registered: RegisteredResource[];
  clusters: Cluster[];
  /** Every minos component the program made, with its type. */
  components: { type: string; resource: pulumi.Resource }[];
}

/**
 * One program as a user would write it: a cluster of every OS the platform
 * runs (three control-plane nodes where the platform balances them), a
 * workload on each through its provider, and on AWS Bottlerocket workers
 * joining the Flatcar cluster. Runs as its own stack under fresh mocks
 * (`project`/`stack`), and returns once nothing new registers.
 */
export async function everyOs(
  platformName: MinosPlatform,
  stack: { project?: string; stack: string },
  names: EveryOsNames = DEFAULT_NAMES,
): Promise<EveryOsRun> {
  const registered = installMocks(stack);
  const recording = recordEngine();
  mockFcosStream();
  // What the gates and the bootstrap call would record against real clusters.
  mockOutputs("pulumi-nodejs:dynamic/minos:ApiReadiness", (inputs) =>
    inputs.waitFor === "nodes"
      ? { readySeconds: 90.5, nodesReadySeconds: 150.2, nodes: [] }
      : { readySeconds: 90.5 },
  );
  mockOutputs("pulumi-nodejs:dynamic/minos-talos:EtcdBootstrap", () => ({
    outcome: "bootstrapped",
  }));
  const components: EveryOsRun["components"] = [];
  const capture: pulumi.ResourceTransformation = (args) => {
    if (args.type.startsWith("minos:"))
      components.push({ type: args.type, resource: args.resource });
    return undefined;
  };
  const cidrs = ["10.81.0.0/24", "10.82.0.0/24", "10.83.0.0/24"];
  const platform = (i: number): Platform => {
    switch (platformName) {
      case "aws":
        return aws();
      case "gcp":
        return gcp({ region: "europe-west1" });
      case "kvm":
        return kvm({ cidr: cidrs[i] as string });
    }
  };
  const shape = (i: number) => ({
    platform: platform(i),
    controlPlane: { count: platformName === "kvm" ? 1 : 3 },
    nodePools: { [names.pool]: { count: 1 } },
    expiresAt: "2030-01-01T00:00:00Z",
  });
  const opts = { transformations: [capture] };
  const clusters: Cluster[] = [
    new FlatcarCluster(names.flatcar, shape(0), opts),
    new FcosCluster(names.fcos, shape(1), opts),
    new TalosCluster(names.talos, shape(2), opts),
  ];
  if (platformName === "aws") {
    new BottlerocketNodeGroup(
      names.bottlerocket,
      { cluster: clusters[0] as Cluster, nodePools: { [names.pool]: { count: 1 } } },
      opts,
    );
  }
  // The workload every example deploys, as a user would: through the cluster's provider.
  for (const [i, os] of (["flatcar", "fcos", "talos"] as const).entries())
    nginx(`${names[os]}-web`, (clusters[i] as Cluster).provider, (clusters[i] as Cluster).addons, {
      services: (clusters[i] as Cluster).platformServices,
    });
  await Promise.all(clusters.map((c) => resolved(c.nodeConfigs)));
  for (let seen = -1; seen !== recording.graph.length; ) {
    seen = recording.graph.length;
    await new Promise((r) => setTimeout(r, 300));
  }
  return { ...recording, registered, clusters, components };
}
