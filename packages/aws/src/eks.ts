import type { Platform, PlatformJoinInfo, Site } from "@minos/core";
import { MinosError, noApiPath, once, plannedGroup, refuseDelivery } from "@minos/core";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedAmi } from "./ami.js";
import { resolveAmi } from "./ami.js";
import { USER_DATA_LIMIT } from "./description.js";
import { EC2_ASSUME_ROLE_POLICY } from "./iam.js";
import { checkAwsGroups } from "./validate.js";
import { awsWorkerPool } from "./workers.js";

/** What node groups joining an EKS cluster are placed with. */
export interface EksPlacement {
  /** The EKS cluster's name: its access entry names it. */
  clusterName: pulumi.Input<string>;
  /** Where nodes run. */
  subnetIds: pulumi.Input<string[]>;
  /** Security groups for the nodes (the cluster security group, typically). */
  securityGroupIds: pulumi.Input<string>[];
}

/** Policies EKS worker nodes need (AWS's managed policies), plus SSM for a control container. */
export const EKS_NODE_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
];

/**
 * An EKS cluster as a platform node groups join: per node group an IAM
 * role with EKS's node policies, an access entry that lets its nodes
 * register, and per pool a launch template and auto-scaling group in the
 * cluster's subnets. EKS runs the control plane, so `site` refuses; its
 * payloads go into EC2 user-data (16 KiB), as EKS's own AMIs read them.
 * `eksCluster` places its pools with it.
 */
export function eks(placement: EksPlacement): Platform {
  return {
    name: "aws",
    payloadLimit: () => USER_DATA_LIMIT,
    // Machine types and tags as on any AWS site: EKS runs the control plane, not the checks.
    validate: checkAwsGroups,
    site() {
      throw new MinosError(
        "platform",
        "eks",
        "EKS runs its own control plane: join it with a node group",
      );
    },
    joinSite: (group, parent) => eksSite(placement, group, parent),
  };
}

function eksSite(placement: EksPlacement, group: PlatformJoinInfo, parent: pulumi.Resource): Site {
  const opts = { parent };
  const { name, tags } = group;
  const role = new aws.iam.Role(
    `${name}-node`,
    { assumeRolePolicy: EC2_ASSUME_ROLE_POLICY, tags },
    opts,
  );
  for (const [i, policyArn] of EKS_NODE_POLICIES.entries())
    new aws.iam.RolePolicyAttachment(`${name}-node-${i}`, { role: role.name, policyArn }, opts);
  const profile = new aws.iam.InstanceProfile(`${name}-node`, { role: role.name, tags }, opts);
  // Lets the nodes register: EKS maps the role to the node groups by itself.
  new aws.eks.AccessEntry(
    `${name}-node`,
    { clusterName: placement.clusterName, principalArn: role.arn, type: "EC2_LINUX", tags },
    opts,
  );
  const amis = new Map<string, ResolvedAmi>();
  return {
    // EKS runs the API; nothing of its path is made here.
    ...noApiPath(),
    ids: {},
    machines(request) {
      plannedGroup("eks", group.groups, request);
      refuseDelivery("eks", request, ["user-data"]);
      return awsWorkerPool(
        request,
        {
          ami: once(amis, request.image, () => resolveAmi(request.image, parent)),
          subnetIds: pulumi.output(placement.subnetIds),
          publicIp: false,
          securityGroupIds: placement.securityGroupIds,
          instanceProfileArn: profile.arn,
          // EKS's autoscaler is the user's, and found by these tags (eksctl sets them too).
          autoscaler: true,
          userData: pulumi.secret(request.payload),
          hopLimit: 2,
        },
        parent,
      );
    },
  };
}
