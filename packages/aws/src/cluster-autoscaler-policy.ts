import { autoscalerClusterTag } from "./tags.js";

/**
 * What cluster-autoscaler reads, as kubernetes/autoscaler documents it at
 * cluster-autoscaler-1.36.1 (`cluster-autoscaler/cloudprovider/aws/README.md`,
 * "Full Cluster Autoscaler Features Policy (Recommended)", its first
 * statement, unchanged): groups, their instances and scaling activities,
 * launch templates and instance types, for auto-discovery and for sizing a
 * group at zero. `eks:DescribeNodegroup` is called only for a group tagged
 * `eks:nodegroup-name`, which minos never sets.
 */
const READ_STATEMENT = {
  Effect: "Allow",
  Action: [
    "autoscaling:DescribeAutoScalingGroups",
    "autoscaling:DescribeAutoScalingInstances",
    "autoscaling:DescribeLaunchConfigurations",
    "autoscaling:DescribeScalingActivities",
    "ec2:DescribeImages",
    "ec2:DescribeInstanceTypes",
    "ec2:DescribeLaunchTemplateVersions",
    "ec2:GetInstanceTypesFromInstanceRequirements",
    "eks:DescribeNodegroup",
  ],
  Resource: ["*"],
};

/**
 * cluster-autoscaler's IAM policy for the control-plane role: upstream's
 * recommended one, whose second statement (resizing a group, terminating
 * one of its instances) upstream says to narrow, narrowed with the tag
 * condition its README points to: only groups tagged
 * `k8s.io/cluster-autoscaler/<cluster>: owned`, which minos sets on this
 * cluster's autoscaled pools alone. Nothing here may change a group's tags,
 * so the role cannot bring another group under it.
 */
export function clusterAutoscalerPolicy(cluster: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      READ_STATEMENT,
      {
        Effect: "Allow",
        Action: [
          "autoscaling:SetDesiredCapacity",
          "autoscaling:TerminateInstanceInAutoScalingGroup",
        ],
        Resource: ["*"],
        Condition: {
          StringEquals: { [`aws:ResourceTag/${autoscalerClusterTag(cluster)}`]: "owned" },
        },
      },
    ],
  };
}
