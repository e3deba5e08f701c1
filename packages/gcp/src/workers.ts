import type { Machines, MachinesRequest } from "@minos/core";
import { stackUniqueName } from "@minos/core";
import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { familyAtLaunch } from "./image.js";
import { instanceSettings, SPOT_SCHEDULING } from "./instance-settings.js";
import { updatePolicy } from "./rollout.js";

/** What a worker pool's instances are made from. */
export interface GcpWorkerPlacement {
  region: string;
  image: pulumi.Output<string>;
  secureBoot: boolean;
  subnetwork: pulumi.Input<string>;
  serviceAccount: pulumi.Input<string>;
  externalIp: boolean;
  machineType: string;
  /** The cluster's node network tag, which its firewall rules target. */
  nodeTag: pulumi.Input<string>;
  /** The payload, or the OS's pointer to it (see `instanceSettings`). */
  userData: pulumi.Input<string> | undefined;
  /** The zones the group spans, pinned (see `pinnedZones`); the default surge is one machine per zone. */
  zones: pulumi.Output<string[]>;
}

/**
 * A worker pool as an instance template and a regional managed instance
 * group (spread over the cluster's pinned zones), with an autoscaler when the pool
 * has bounds. Nothing here refers to a control-plane instance.
 *
 * Pools roll: templates are immutable, so any change (payload, machine
 * type, disk, image) is a new template, and the group's proactive update
 * policy replaces every machine with one made from it (see `updatePolicy`).
 * Whether a new image counts is the request's `imageUpdates`: `keep` leaves
 * the boot disk's image out of the diff, as Typhoon does for OSes that
 * update themselves; `launch` names a family, which GCE resolves as each
 * machine is made.
 */
export function gcpWorkerPool(
  request: MachinesRequest,
  p: GcpWorkerPlacement,
  parent: pulumi.Resource,
): Machines {
  const s = instanceSettings(request, p.secureBoot, p.userData);
  // Template names are unique per project. The provider appends a timestamp
  // to a prefix of at most 37 characters (a date and a counter to a longer
  // one, which two stacks would share): the stack hash and 37 keep them apart.
  // Templates named before keep their prefix: a new one would roll the pool.
  const namePrefix = `${stackUniqueName(request.name, 36, (n, h) => `${n}-${h}`)}-`;
  const template = new gcp.compute.InstanceTemplate(
    request.name,
    {
      namePrefix,
      machineType: p.machineType,
      disks: [
        {
          sourceImage:
            (request.imageUpdates === "launch" ? familyAtLaunch(request.image) : undefined) ??
            p.image,
          boot: true,
          autoDelete: true,
          diskSizeGb: request.diskGiB,
          diskType: s.diskType,
        },
      ],
      networkInterfaces: [
        { subnetwork: p.subnetwork, ...(p.externalIp && { accessConfigs: [{}] }) },
      ],
      metadata: s.metadata,
      serviceAccount: { email: p.serviceAccount, scopes: s.scopes },
      shieldedInstanceConfig: s.shieldedInstanceConfig,
      tags: [p.nodeTag],
      labels: { ...s.labels, "minos-role": "worker" },
      ...(request.spot && { scheduling: SPOT_SCHEDULING }),
    },
    {
      parent,
      ignoreChanges: [
        "namePrefix",
        ...(request.imageUpdates === "keep" ? ["disks[0].sourceImage"] : []),
      ],
    },
  );
  const autoscaled = request.minCount !== request.maxCount;
  const group = new gcp.compute.RegionInstanceGroupManager(
    request.name,
    {
      region: p.region,
      baseInstanceName: request.name,
      versions: [{ instanceTemplate: template.selfLinkUnique, name: "primary" }],
      distributionPolicyZones: p.zones,
      updatePolicy: updatePolicy(request.rollout, p.zones),
      ...(!autoscaled && { targetSize: request.count }),
    },
    { parent },
  );
  const resources: pulumi.Resource[] = [template, group];
  if (autoscaled) {
    resources.push(
      new gcp.compute.RegionAutoscaler(
        request.name,
        {
          region: p.region,
          target: group.id,
          autoscalingPolicy: {
            minReplicas: request.minCount,
            maxReplicas: request.maxCount,
            cooldownPeriod: 120,
            cpuUtilization: { target: 0.7 },
          },
        },
        { parent },
      ),
    );
  }
  return { resources, groupName: group.name };
}
