import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { clusterTags } from "./tags.js";

/** Lets EC2 instances take a role: the trust policy of every node role. */
export const EC2_ASSUME_ROLE_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
});

/**
 * One role and instance profile per node role. Its own permission is
 * reading that role's own first-boot configs; `policies` adds one inline
 * policy each, by name (the control plane's for the cloud controller and
 * the EBS CSI driver, which run there).
 */
export function awsNodeRole(
  cluster: string,
  role: "control-plane" | "worker",
  bucketArn: pulumi.Input<string>,
  tags: Record<string, string>,
  parent: pulumi.Resource,
  policies: Record<string, object> = {},
): { role: aws.iam.Role; profile: aws.iam.InstanceProfile } {
  const opts = { parent };
  const iamRole = new aws.iam.Role(
    `${cluster}-${role}`,
    {
      assumeRolePolicy: EC2_ASSUME_ROLE_POLICY,
      tags: clusterTags(cluster, tags),
    },
    opts,
  );
  new aws.iam.RolePolicy(
    `${cluster}-${role}-payloads`,
    {
      role: iamRole.id,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: [pulumi.interpolate`${bucketArn}/${role}/*`],
          },
        ],
      }),
    },
    opts,
  );
  for (const [name, policy] of Object.entries(policies))
    new aws.iam.RolePolicy(
      `${cluster}-${role}-${name}`,
      { role: iamRole.id, policy: JSON.stringify(policy) },
      opts,
    );
  const profile = new aws.iam.InstanceProfile(
    `${cluster}-${role}`,
    { role: iamRole.name, tags: clusterTags(cluster, tags) },
    opts,
  );
  return { role: iamRole, profile };
}
