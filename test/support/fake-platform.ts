import type { MachinesRequest, Platform, PlatformName } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/**
 * A platform that makes one placeholder component per machine group and
 * remembers every request, so tests can see what Cluster asked for.
 */
export function fakePlatform(name: PlatformName = "kvm", nodeCidr?: string) {
  const requests: MachinesRequest[] = [];
  const platform: Platform = {
    name,
    ...(nodeCidr !== undefined && { nodeCidr }),
    network: (cluster) => ({
      endpoint: { host: pulumi.output(`${cluster.name}.api.example.test`), port: cluster.apiPort },
      certSans: pulumi.output(["203.0.113.10"]),
      apiPath: [],
    }),
    machines: (request, parent) => {
      requests.push(request);
      const group = new pulumi.ComponentResource(
        "test:fake:Machines",
        request.name,
        {},
        { parent },
      );
      return { resources: [group] };
    },
  };
  return { platform, requests };
}
