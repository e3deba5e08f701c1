import type { MachinesRequest, MinosPlatform, Platform, Site } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/**
 * A platform that makes one placeholder component per machine group and
 * remembers every request, so tests can see what Cluster asked for.
 */
export function fakePlatform(name: MinosPlatform = "kvm", nodeCidr?: string) {
  const requests: MachinesRequest[] = [];
  const site = (host: string, port: number, parent: pulumi.Resource): Site => ({
    endpoint: { host: pulumi.output(host), port },
    certSans: pulumi.output(["203.0.113.10"]),
    apiPath: [],
    ids: { network: `${host}-net` },
    machines: (request) => {
      requests.push(request);
      const group = new pulumi.ComponentResource(
        "test:fake:Machines",
        request.name,
        {},
        { parent },
      );
      return { resources: [group] };
    },
  });
  const platform: Platform = {
    name,
    ...(nodeCidr !== undefined && { nodeCidr }),
    site: (cluster, parent) => site(`${cluster.name}.api.example.test`, cluster.apiPort, parent),
    joinSite: (_group, parent) => site("", 0, parent),
  };
  return { platform, requests };
}
