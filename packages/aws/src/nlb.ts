import { stackUniqueName } from "@minos/core";
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { clusterTags } from "./tags.js";

/** The API endpoint: an internet-facing NLB forwarding TCP 6443 to the control plane. */
export interface AwsApiLoadBalancer {
  dnsName: pulumi.Output<string>;
  /** The API's target group, then one per other control-plane port. */
  targets: { arn: pulumi.Output<string>; port: number }[];
  /** The NLB, its target groups and listeners. */
  resources: pulumi.Resource[];
}

/**
 * The NLB exists before any instance, so its DNS name goes into the API
 * server certificate and the kubeconfig up front.
 *
 * Client-IP preservation is off: with it on, a control-plane node cannot
 * reach itself through the NLB (a hairpin), and `kubeadm init` talks to the
 * endpoint from the very node it is initializing. Who may connect is
 * enforced by the NLB's own security group instead.
 */
export function awsApiLoadBalancer(
  cluster: string,
  network: { vpcId: pulumi.Input<string>; lbSubnetIds: pulumi.Input<string[]> },
  securityGroupId: pulumi.Input<string>,
  tags: Record<string, string>,
  parent: pulumi.Resource,
  otherPorts: readonly number[] = [],
): AwsApiLoadBalancer {
  // Names are unique per account and region, at most 32 characters, and must
  // not begin with "internal-": the role comes first and the stack hash last,
  // the cluster name cut to fit (Pulumi's auto-names would overrun 32).
  // Stacks named before the hash keep their names: a new NLB name is a new
  // NLB and DNS name, which every node's certificate and kubeconfig hold, and
  // a target group in use by its listener cannot be deleted to be replaced.
  const awsName = (role: string) => stackUniqueName(cluster, 32, (c, h) => `${role}-${c}-${h}`);
  const opts = { parent, deleteBeforeReplace: true, ignoreChanges: ["name"] };
  const lb = new aws.lb.LoadBalancer(
    `${cluster}-api`,
    {
      name: awsName("api"),
      loadBalancerType: "network",
      internal: false,
      subnets: network.lbSubnetIds,
      securityGroups: [securityGroupId],
      enableCrossZoneLoadBalancing: true,
      tags: clusterTags(cluster, tags, `${cluster}-api`),
    },
    opts,
  );
  const resources: pulumi.Resource[] = [lb];
  /** A target group for one control-plane port and the NLB listener that forwards to it. */
  const forward = (
    name: string,
    role: string,
    port: number,
    healthCheck: aws.types.input.lb.TargetGroupHealthCheck,
  ) => {
    const group = new aws.lb.TargetGroup(
      name,
      {
        name: awsName(role),
        vpcId: network.vpcId,
        port,
        protocol: "TCP",
        targetType: "instance",
        preserveClientIp: "false",
        healthCheck,
        tags: clusterTags(cluster, tags, name),
      },
      opts,
    );
    const listener = new aws.lb.Listener(
      name,
      {
        loadBalancerArn: lb.arn,
        port,
        protocol: "TCP",
        defaultActions: [{ type: "forward", targetGroupArn: group.arn }],
        tags: clusterTags(cluster, tags),
      },
      { parent },
    );
    resources.push(group, listener);
    return { arn: group.arn, port };
  };
  // /readyz is readable anonymously; a node counts once its API server is ready.
  const api = forward(`${cluster}-api`, "api", 6443, {
    protocol: "HTTPS",
    port: "6443",
    path: "/readyz",
    healthyThreshold: 2,
    unhealthyThreshold: 2,
    interval: 10,
  });
  // Other control-plane services the program calls (Talos's apid): healthy
  // once they accept connections, which they do before the API server runs.
  const others = otherPorts.map((port) =>
    forward(`${cluster}-p${port}`, `p${port}`, port, {
      protocol: "TCP",
      port: String(port),
      interval: 10,
    }),
  );
  return { dnsName: lb.dnsName, targets: [api, ...others], resources };
}
