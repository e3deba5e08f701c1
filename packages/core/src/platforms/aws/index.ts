import * as pulumi from "@pulumi/pulumi";
import type { MachinesRequest, Platform, PlatformNetwork } from "../../contracts/platform.js";
import { MinosError } from "../../errors.js";
import { checkMachineTypes, refuseSshRangesWithoutKeys } from "../cloud-checks.js";
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
  targets: ReturnType<typeof awsApiLoadBalancer>["targets"];
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
    validate(cluster) {
      refuseSshRangesWithoutKeys(cluster, resolved.sshAllowedCidrs);
      // family[generation][options].size: t3.medium, m7g.2xlarge, c6in.metal-24xl.
      checkMachineTypes(
        cluster,
        /^[a-z]+\d[a-z0-9-]*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/,
        "t3.medium or m7g.2xlarge",
      );
    },
    ...(resolved.network.cidr !== undefined && { nodeCidr: resolved.network.cidr }),
    network(cluster, parent) {
      const network = awsNetwork(cluster.name, resolved.network, cluster.tags, parent);
      const groups = awsSecurityGroups(
        cluster.name,
        network.vpcId,
        { api: resolved.apiAllowedCidrs, ssh: cluster.sshEnabled ? resolved.sshAllowedCidrs : [] },
        cluster.tags,
        parent,
        cluster.controlPlanePorts,
      );
      const lb = awsApiLoadBalancer(
        cluster.name,
        network,
        groups.apiLb.id,
        cluster.tags,
        parent,
        cluster.controlPlanePorts,
      );
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
        apiPath: [
          ...network.resources,
          groups.apiLb,
          groups.nodes,
          groups.controlPlane,
          ...groups.rules,
          ...lb.resources,
        ],
      };
      return clusters.set(platformNetwork, {
        network,
        groups,
        targets: lb.targets,
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
            userData: userData(state.payloads, request, "worker", request.pool),
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
          userData: userData(
            state.payloads,
            request,
            "control-plane",
            request.role === "control-plane" ? "init" : "join",
          ),
          targets: state.targets,
        },
        parent,
      );
    },
  };
}

/** EC2's limit on user-data. */
const USER_DATA_LIMIT = 16_384;

/**
 * An Ignition OS gets a pointer to its payload in S3. Any other OS (Talos)
 * reads its payload from user-data itself: it goes there, secret in state,
 * and must fit EC2's limit.
 */
function userData(
  payloads: AwsPayloadBucket,
  request: MachinesRequest,
  prefix: "control-plane" | "worker",
  name: string,
): pulumi.Output<string> {
  if (request.delivery.kind === "user-data" && request.delivery.ignitionPointer)
    return payloads.put(prefix, name, request.payload);
  return pulumi.secret(request.payload.apply((payload) => fitUserData(request.name, payload)));
}

/** The payload, if it fits EC2 user-data; a clear error naming the group if not. */
export function fitUserData(group: string, payload: string): string {
  const bytes = Buffer.byteLength(payload);
  if (bytes > USER_DATA_LIMIT)
    throw new MinosError(
      `${group} first-boot payload`,
      `${bytes} bytes`,
      `at most ${USER_DATA_LIMIT} bytes fit EC2 user-data; trim the OS's extra config`,
    );
  return payload;
}
