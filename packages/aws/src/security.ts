import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { clusterTags, minosTags } from "./tags.js";

/** The cluster's security groups. */
export interface AwsSecurityGroups {
  /** On the API load balancer: 6443 from the allowed networks and from nodes. */
  apiLb: aws.ec2.SecurityGroup;
  /**
   * On every node: all traffic between nodes, SSH when asked. The one group
   * on a node with the cluster's ownership tag: the cloud controller opens
   * it to Services' load balancers, and refuses an instance with two.
   */
  nodes: aws.ec2.SecurityGroup;
  /** On control-plane nodes: 6443 from the load balancer. */
  controlPlane: aws.ec2.SecurityGroup;
  /** Every rule of the three: they admit API traffic, and etcd's between nodes. */
  rules: pulumi.Resource[];
}

const API = { ipProtocol: "tcp", fromPort: 6443, toPort: 6443 };

/**
 * Nothing reaches a node but other nodes, the API load balancer (6443, control
 * plane only) and, when SSH keys are given, SSH from `sshAllowedCidrs`.
 */
export function awsSecurityGroups(
  cluster: string,
  vpcId: pulumi.Input<string>,
  allowed: { api: string[]; ssh: string[] },
  tags: Record<string, string>,
  parent: pulumi.Resource,
  otherPorts: readonly number[] = [],
): AwsSecurityGroups {
  const opts = { parent };
  // Only the nodes' group carries the ownership tag: the cloud controller
  // adds load balancers' rules to the one tagged group of each instance and
  // refuses an instance with several (cloud-provider-aws
  // `findSecurityGroupForInstance`), and control-plane nodes have two.
  const group = (role: string, description: string, owned: boolean) =>
    new aws.ec2.SecurityGroup(
      `${cluster}-${role}`,
      {
        vpcId,
        description,
        tags: (owned ? clusterTags : minosTags)(cluster, tags, `${cluster}-${role}`),
      },
      opts,
    );
  const apiLb = group("api-lb", "minos: Kubernetes API load balancer", false);
  const nodes = group("nodes", "minos: every node of the cluster", true);
  const controlPlane = group("control-plane", "minos: control-plane nodes", false);
  type Rule = Omit<aws.vpc.SecurityGroupIngressRuleArgs, "securityGroupId">;
  const rules: pulumi.Resource[] = [];
  const rule =
    (Kind: typeof aws.vpc.SecurityGroupIngressRule | typeof aws.vpc.SecurityGroupEgressRule) =>
    (name: string, groupId: pulumi.Input<string>, args: Rule) =>
      rules.push(
        new Kind(
          `${cluster}-${name}`,
          { securityGroupId: groupId, ...args, tags: clusterTags(cluster, tags) },
          opts,
        ),
      );
  const ingress = rule(aws.vpc.SecurityGroupIngressRule);
  const egress = rule(aws.vpc.SecurityGroupEgressRule);

  for (const [i, cidr] of allowed.api.entries())
    ingress(`api-from-${i}`, apiLb.id, { ...API, cidrIpv4: cidr, description: "Kubernetes API" });
  ingress("api-from-nodes", apiLb.id, {
    ...API,
    referencedSecurityGroupId: nodes.id,
    description: "Kubernetes API from nodes",
  });
  egress("api-to-control-plane", apiLb.id, {
    ...API,
    referencedSecurityGroupId: controlPlane.id,
    description: "to API servers",
  });

  ingress("nodes-from-nodes", nodes.id, {
    ipProtocol: "-1",
    referencedSecurityGroupId: nodes.id,
    description: "node to node",
  });
  egress("nodes-out", nodes.id, {
    ipProtocol: "-1",
    cidrIpv4: "0.0.0.0/0",
    description: "images, updates, AWS APIs",
  });
  for (const [i, cidr] of allowed.ssh.entries()) {
    ingress(`ssh-from-${i}`, nodes.id, {
      ipProtocol: "tcp",
      fromPort: 22,
      toPort: 22,
      cidrIpv4: cidr,
      description: "SSH",
    });
  }
  ingress("control-plane-from-api-lb", controlPlane.id, {
    ...API,
    referencedSecurityGroupId: apiLb.id,
    description: "Kubernetes API via the load balancer",
  });
  // Other control-plane services, reached like the API: from the same networks, through the NLB.
  for (const port of otherPorts) {
    const range = { ipProtocol: "tcp", fromPort: port, toPort: port };
    for (const [i, cidr] of allowed.api.entries())
      ingress(`p${port}-from-${i}`, apiLb.id, {
        ...range,
        cidrIpv4: cidr,
        description: `port ${port}`,
      });
    egress(`p${port}-to-control-plane`, apiLb.id, {
      ...range,
      referencedSecurityGroupId: controlPlane.id,
      description: `port ${port} to control-plane nodes`,
    });
    ingress(`control-plane-p${port}-from-api-lb`, controlPlane.id, {
      ...range,
      referencedSecurityGroupId: apiLb.id,
      description: `port ${port} via the load balancer`,
    });
  }
  return { apiLb, nodes, controlPlane, rules };
}
