import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { controlPlaneTag, nodeTag } from "./labels.js";

/**
 * Where Google's health checkers and passthrough load balancers come from
 * (documented ranges for regional external passthrough NLB health checks).
 */
export const GCP_HEALTH_CHECK_RANGES = ["35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22"];

/**
 * Nothing reaches a node but other nodes (by network tag), the API on
 * control-plane nodes from `apiAllowedCidrs`, the cluster's own NAT address
 * and Google's health checkers, and SSH from `sshAllowedCidrs` when keys are
 * given.
 */
export function gcpFirewall(
  cluster: string,
  network: pulumi.Input<string>,
  allowed: { api: string[]; ssh: string[]; natIps: pulumi.Input<string[]> },
  parent: pulumi.Resource,
  otherPorts: readonly number[] = [],
): gcp.compute.Firewall[] {
  const opts = { parent };
  const rule = (name: string, args: Omit<gcp.compute.FirewallArgs, "network" | "direction">) =>
    new gcp.compute.Firewall(
      `${cluster}-${name}`,
      { network, direction: "INGRESS", ...args },
      opts,
    );
  // The API and the other control-plane ports the program calls, from the same networks.
  const api = [{ protocol: "tcp", ports: ["6443", ...otherPorts.map(String)] }];
  const rules = [
    rule("internal", {
      allows: [{ protocol: "all" }],
      sourceTags: [nodeTag(cluster)],
      targetTags: [nodeTag(cluster)],
      description: "node to node",
    }),
    rule("api", {
      allows: api,
      sourceRanges: pulumi
        .output(allowed.natIps)
        .apply((nat) => [...allowed.api, ...nat.map((ip) => `${ip}/32`)]),
      targetTags: [controlPlaneTag(cluster)],
      description: "Kubernetes API (the allowed networks and the cluster's own NAT address)",
    }),
    rule("api-health", {
      allows: api,
      sourceRanges: GCP_HEALTH_CHECK_RANGES,
      targetTags: [controlPlaneTag(cluster)],
      description: "load-balancer health checks",
    }),
  ];
  if (allowed.ssh.length > 0) {
    rules.push(
      rule("ssh", {
        allows: [{ protocol: "tcp", ports: ["22"] }],
        sourceRanges: allowed.ssh,
        targetTags: [nodeTag(cluster)],
        description: "SSH",
      }),
    );
  }
  return rules;
}
