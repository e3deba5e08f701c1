import type { Machines, MachinesRequest } from "@minos/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsPlacement } from "./machine-settings.js";
import { dataVolume, instanceType, metadataOptions, rootVolume } from "./machine-settings.js";
import { clusterTags } from "./tags.js";

/** Control-plane instances also take an instance profile by name and join the endpoint's target groups. */
export interface ControllerPlacement extends AwsPlacement {
  instanceProfile: pulumi.Input<string>;
  /** The API's target group, and one per other control-plane port. */
  targets: { arn: pulumi.Input<string>; port: number }[];
}

/**
 * Control-plane nodes as individual instances (a stable identity each),
 * round-robin over the node subnets' zones, registered with the API target
 * group. Changes to the AMI or user-data are ignored: first-boot config runs
 * once, and replacing a control-plane node is an operator's decision. With
 * a `machine-api` delivery they have no user-data at all.
 */
export function awsControllers(
  request: MachinesRequest,
  p: ControllerPlacement,
  parent: pulumi.Resource,
): Machines {
  const attachments: pulumi.Resource[] = [];
  const instances = [...Array(request.count).keys()].map((i) => {
    const index = request.firstIndex + i;
    const name = `${request.cluster}-control-plane-${index}`;
    const instance = new aws.ec2.Instance(
      name,
      {
        ami: p.ami.id,
        instanceType: instanceType(request, p.defaultInstanceType),
        subnetId: p.subnetIds.apply((ids) => ids[index % ids.length] as string),
        associatePublicIpAddress: p.publicIp,
        vpcSecurityGroupIds: p.securityGroupIds,
        iamInstanceProfile: p.instanceProfile,
        ...(p.userData && { userData: p.userData }),
        metadataOptions: metadataOptions(p.hopLimit),
        rootBlockDevice: {
          ...rootVolume(request, p.ami),
          tags: clusterTags(request.cluster, request.tags, name),
        },
        ebsBlockDevices: dataVolume(request, p.ami).map((v) => ({
          deviceName: v.deviceName,
          volumeType: v.ebs.volumeType,
          volumeSize: v.ebs.volumeSize,
          encrypted: true,
          deleteOnTermination: true,
          tags: clusterTags(request.cluster, request.tags, name),
        })),
        tags: {
          ...clusterTags(request.cluster, request.tags, name),
          "minos:role": "control-plane",
        },
      },
      { parent, ignoreChanges: ["ami", "userData"] },
    );
    for (const target of p.targets) {
      attachments.push(
        new aws.lb.TargetGroupAttachment(
          target.port === 6443 ? name : `${name}-${target.port}`,
          { targetGroupArn: target.arn, targetId: instance.id, port: target.port },
          { parent },
        ),
      );
    }
    return instance;
  });
  return {
    resources: instances,
    privateIps: pulumi.all(instances.map((i) => i.privateIp)),
    apiPath: attachments,
  };
}
