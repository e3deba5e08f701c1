import type { Platform, PlatformNetwork } from "../../contracts/platform.js";
import { once, PerCluster } from "../per-cluster.js";
import { type ResolvedAmi, resolveAmi } from "./ami.js";
import type { AwsPlatformArgs } from "./args.js";
import { awsControllers } from "./controllers.js";
import { awsNodeRole } from "./iam.js";
import { awsNetwork } from "./network.js";
import { awsApiLoadBalancer } from "./nlb.js";
import { AwsPayloadBucket } from "./payloads.js";
import { awsSecurityGroups } from "./security.js";
import { resolveAwsArgs } from "./validate.js";
import { awsWorkerPool } from "./workers.js";

/** What one cluster's AWS network holds, for the machines that follow. */
interface AwsClusterState {
  network: ReturnType<typeof awsNetwork>;
  groups: ReturnType<typeof awsSecurityGroups>;
  targetGroupArn: ReturnType<typeof awsApiLoadBalancer>["targetGroup"]["arn"];
  payloads: AwsPayloadBucket;
  roles: Record<"control-plane" | "worker", ReturnType<typeof awsNodeRole>>;
  amis: Map<string, ResolvedAmi>;
}

/**
 * AWS as a minos platform: a VPC (new or yours), security groups, an NLB for
 * the API, a private S3 bucket for first-boot configs, IAM roles, control-
 * plane instances and worker auto-scaling groups. Arguments are checked
 * here, before any resource exists. One platform value can serve several
 * clusters; each gets its own network and endpoint.
 *
 * Providers: pass an `aws.Provider` through the cluster's `opts.providers`;
 * minos never makes one.
 */
export function aws(args: AwsPlatformArgs = {}): Platform {
  const resolved = resolveAwsArgs(args);
  const clusters = new PerCluster<AwsClusterState>("aws");
  return {
    name: "aws",
    network(cluster, parent) {
      const network = awsNetwork(cluster.name, resolved.network, cluster.tags, parent);
      const groups = awsSecurityGroups(
        cluster.name,
        network.vpcId,
        { api: resolved.apiAllowedCidrs, ssh: cluster.sshEnabled ? resolved.sshAllowedCidrs : [] },
        cluster.tags,
        parent,
      );
      const lb = awsApiLoadBalancer(cluster.name, network, groups.apiLb.id, cluster.tags, parent);
      const payloads = new AwsPayloadBucket(cluster.name, cluster.tags, parent);
      const roles = {
        "control-plane": awsNodeRole(
          cluster.name,
          "control-plane",
          payloads.bucket.arn,
          cluster.tags,
          parent,
        ),
        worker: awsNodeRole(cluster.name, "worker", payloads.bucket.arn, cluster.tags, parent),
      };
      const platformNetwork: PlatformNetwork = {
        endpoint: { host: lb.dnsName, port: cluster.apiPort },
        ...(network.cidr !== undefined && { nodeCidr: network.cidr }),
      };
      return clusters.set(platformNetwork, {
        network,
        groups,
        targetGroupArn: lb.targetGroup.arn,
        payloads,
        roles,
        amis: new Map(),
      });
    },

    machines(request, parent) {
      const state = clusters.get(request);
      const ami = once(state.amis, request.image, () => resolveAmi(request.image, parent));
      const common = {
        ami,
        subnetIds: state.network.nodeSubnetIds,
        publicIp: state.network.publicNodes,
        ...(resolved.defaultInstanceType !== undefined && {
          defaultInstanceType: resolved.defaultInstanceType,
        }),
        hopLimit: resolved.metadataHopLimit,
      };
      if (request.role === "worker") {
        return awsWorkerPool(
          request,
          {
            ...common,
            securityGroupIds: [state.groups.nodes.id],
            instanceProfileArn: state.roles.worker.profile.arn,
            userData: state.payloads.put("worker", request.pool, request.payload),
          },
          parent,
        );
      }
      return awsControllers(
        request,
        {
          ...common,
          securityGroupIds: [state.groups.nodes.id, state.groups.controlPlane.id],
          instanceProfile: state.roles["control-plane"].profile.name,
          userData: state.payloads.put(
            "control-plane",
            request.role === "control-plane" ? "init" : "join",
            request.payload,
          ),
          targetGroupArn: state.targetGroupArn,
        },
        parent,
      );
    },
  };
}
