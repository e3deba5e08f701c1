import type { Machines, MachinesRequest } from "@minos/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsPlacement } from "./machine-settings.js";
import { dataVolume, instanceType, metadataOptions, rootVolume } from "./machine-settings.js";
import { refreshBounds } from "./rollout.js";
import { autoscalerDiscoveryTags, clusterTags } from "./tags.js";

/** Launch templates take the instance profile by ARN. */
export interface WorkerPlacement extends AwsPlacement {
  instanceProfileArn: pulumi.Input<string>;
  /**
   * Whether a cluster-autoscaler of the cluster sizes its autoscaled pools,
   * so they say so (`k8s.io/cluster-autoscaler/enabled`): the cluster's
   * `platformServices.autoscaler`, or for a joining node group what the
   * cluster's site ids say.
   */
  autoscaler: pulumi.Input<boolean>;
}

/**
 * A worker pool as a launch template and an auto-scaling group over the node
 * subnets. Nothing here refers to a control-plane instance, so pools are
 * created alongside the control plane. When the pool autoscales (its
 * `minCount` and `maxCount` differ), its desired size is left to the
 * autoscaler after creation, and the group carries cluster-autoscaler's
 * discovery tags that are true of it (see `autoscalerDiscoveryTags`).
 *
 * Pools roll: any change to the template (payload, instance type, disk,
 * image) is a new template version, and a new version starts an instance
 * refresh that replaces every machine, new ones first by default (see
 * `refreshBounds`). Whether a new AMI counts is the request's
 * `imageUpdates`: `keep` leaves the AMI out of the diff, as Typhoon does
 * for OSes that update themselves; `launch` names an SSM parameter instead
 * of its AMI, which EC2 resolves as each machine launches, so a release
 * reaches new machines without replacing running ones.
 */
export function awsWorkerPool(
  request: MachinesRequest,
  p: WorkerPlacement,
  parent: pulumi.Resource,
): Machines {
  const name = request.name;
  const tags = { ...clusterTags(request.cluster, request.tags, name), "minos:pool": request.pool };
  const atLaunch = request.imageUpdates === "launch" && p.ami.ssmParameter !== undefined;
  const template = new aws.ec2.LaunchTemplate(
    name,
    {
      imageId: atLaunch ? `resolve:ssm:${p.ami.ssmParameter}` : p.ami.id,
      instanceType: instanceType(request, p.defaultInstanceType),
      ...(p.userData && { userData: p.userData.apply((u) => Buffer.from(u).toString("base64")) }),
      iamInstanceProfile: { arn: p.instanceProfileArn },
      networkInterfaces: [
        {
          associatePublicIpAddress: pulumi.output(p.publicIp).apply(String),
          securityGroups: p.securityGroupIds,
          deleteOnTermination: "true",
        },
      ],
      metadataOptions: metadataOptions(p.hopLimit),
      blockDeviceMappings: [
        {
          deviceName: p.ami.rootDeviceName,
          ebs: { ...rootVolume(request, p.ami), encrypted: "true", deleteOnTermination: "true" },
        },
        ...dataVolume(request, p.ami),
      ],
      ...(request.spot && {
        instanceMarketOptions: {
          marketType: "spot",
          spotOptions: { instanceInterruptionBehavior: "terminate" },
        },
      }),
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags },
      ],
      updateDefaultVersion: true,
      tags,
    },
    { parent, ...(request.imageUpdates === "keep" && { ignoreChanges: ["imageId"] }) },
  );
  const autoscaled = request.minCount !== request.maxCount;
  // What cluster-autoscaler's `--node-group-auto-discovery=asg:tag=...` finds pools by.
  const groupTags = pulumi.output(p.autoscaler).apply((on) =>
    Object.entries({
      ...tags,
      ...(autoscaled && autoscalerDiscoveryTags(request.cluster, on)),
    }).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
  );
  const group = new aws.autoscaling.Group(
    name,
    {
      vpcZoneIdentifiers: p.subnetIds,
      minSize: request.minCount,
      maxSize: request.maxCount,
      desiredCapacity: request.count,
      launchTemplate: { id: template.id, version: pulumi.interpolate`${template.latestVersion}` },
      healthCheckType: "EC2",
      // A new template version starts it; skipMatching lets a refresh started
      // again (after a failed one, or a second change) skip machines already new.
      instanceRefresh: {
        strategy: "Rolling",
        preferences: {
          ...refreshBounds(request.rollout, request.count),
          instanceWarmup: "300",
          skipMatching: true,
        },
      },
      tags: groupTags,
    },
    { parent, ...(autoscaled && { ignoreChanges: ["desiredCapacity"] }) },
  );
  return { resources: [template, group], groupName: group.name };
}
