import type { Machines, MachinesRequest } from "@minos/core";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { instanceSettings } from "./instance-settings.js";
import { controlPlaneTag, nodeTag } from "./labels.js";

/** What control-plane instances are placed with. */
export interface GcpControllerPlacement {
  image: pulumi.Output<string>;
  secureBoot: boolean;
  zones: pulumi.Output<string>[];
  subnetwork: pulumi.Input<string>;
  serviceAccount: pulumi.Input<string>;
  /** The account's scopes; default a node's (`NODE_SCOPES`). */
  scopes?: string[];
  groups: gcp.compute.InstanceGroup[];
  machineType: string;
  /** The payload, or the OS's pointer to it (see `instanceSettings`); absent for `machine-api`. */
  userData: pulumi.Input<string> | undefined;
}

/**
 * Control-plane nodes as individual instances, one per zone in turn, without
 * external IPs, each in its load-balancer instance group. Image and metadata
 * changes are ignored: first boot ran once.
 */
export function gcpControllers(
  request: MachinesRequest,
  p: GcpControllerPlacement,
  parent: pulumi.Resource,
): Machines {
  const s = instanceSettings(request, p.secureBoot, p.userData);
  const memberships: pulumi.Resource[] = [];
  const instances = [...Array(request.count).keys()].map((i) => {
    const index = request.firstIndex + i;
    const zone = p.zones[index % p.zones.length] as pulumi.Output<string>;
    const instance = new gcp.compute.Instance(
      `${request.cluster}-control-plane-${index}`,
      {
        zone,
        machineType: p.machineType,
        bootDisk: { initializeParams: { image: p.image, size: request.diskGiB, type: s.diskType } },
        networkInterfaces: [{ subnetwork: p.subnetwork }],
        metadata: s.metadata,
        serviceAccount: { email: p.serviceAccount, scopes: p.scopes ?? s.scopes },
        shieldedInstanceConfig: s.shieldedInstanceConfig,
        tags: [nodeTag(request.cluster), controlPlaneTag(request.cluster)],
        labels: { ...s.labels, "minos-role": "control-plane" },
        allowStoppingForUpdate: true,
      },
      { parent, ignoreChanges: ["bootDisk", "metadata"] },
    );
    const group = p.groups[index];
    if (group) {
      memberships.push(
        new gcp.compute.InstanceGroupMembership(
          `${request.cluster}-control-plane-${index}`,
          { zone, instanceGroup: group.name, instance: instance.selfLink },
          { parent },
        ),
      );
    }
    return instance;
  });
  return {
    resources: instances,
    privateIps: pulumi.all(
      instances.map((i) => i.networkInterfaces.apply((n) => n[0]?.networkIp ?? "")),
    ),
    apiPath: memberships,
  };
}
