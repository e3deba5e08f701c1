import type {
  MachinesRequest,
  PayloadPointer,
  Platform,
  PlatformClusterInfo,
  Site,
  SiteIds,
} from "@minos/core";
import {
  deliveredPayload,
  joinedPayloadKey,
  noApiPath,
  once,
  openApiWarning,
  plannedGroup,
  plannedWorkers,
  refuseDelivery,
  refuseOpenMachineApi,
  refuseOtherArchMachines,
  refuseSshRangesWithoutKeys,
  siteId,
} from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedAmi } from "./ami.js";
import { resolveAmi } from "./ami.js";
import type { AwsPlatformArgs } from "./args.js";
import { awsControllers } from "./controllers.js";
import { awsDescription } from "./description.js";
import { awsNodeRole } from "./iam.js";
import { instanceArch } from "./instance-arch.js";
import { awsNetwork } from "./network.js";
import { awsApiLoadBalancer } from "./nlb.js";
import { AwsPayloadBucket, storePayload } from "./payloads.js";
import { awsSecurityGroups } from "./security.js";
import { awsAddons, controlPlanePolicies, refuseServicesWithoutController } from "./services.js";
import { clusterTags } from "./tags.js";
import type { ResolvedAws } from "./validate.js";
import { checkAwsGroups, resolveAwsArgs } from "./validate.js";
import { awsWorkerPool } from "./workers.js";

/** The ids a node group joining an AWS cluster needs (`Site.ids`). */
export type AwsSiteIds = {
  vpcId: string;
  nodeSubnetIds: string[];
  /** `"true"` when nodes get public addresses (new VPC without NAT). */
  publicNodes: string;
  nodeSecurityGroupId: string;
  payloadBucket: string;
  workerInstanceProfileArn: string;
  /**
   * `"true"` when the cluster runs cluster-autoscaler, so a joining node
   * group's autoscaled pools say it sizes them. Absent from the ids of
   * clusters made before it existed, which run none.
   */
  autoscaler: string;
};

/**
 * AWS as a minos platform: a VPC (new or yours), security groups, an NLB for
 * the API, a private S3 bucket for first-boot payloads, IAM roles, control-
 * plane instances and worker auto-scaling groups; inside each cluster, as
 * its `platformServices` ask, the AWS cloud controller manager (nodes'
 * identities, Services' load balancers), the EBS CSI driver with a
 * default StorageClass and cluster-autoscaler. Arguments are checked
 * here, before any resource exists. One platform value serves any number of
 * clusters; each gets its own site.
 *
 * Providers: pass an `aws.Provider` through the cluster's `opts.providers`;
 * minos never makes one.
 */
export function aws(args: AwsPlatformArgs = {}): Platform {
  const resolved = resolveAwsArgs(args);
  return {
    ...awsDescription,
    serialConsole:
      "aws ec2 get-console-output --latest --instance-id <id>, or the EC2 console's serial console",
    ...(resolved.network.cidr !== undefined && { nodeCidr: resolved.network.cidr }),
    validate(cluster) {
      refuseServicesWithoutController(cluster);
      refuseSshRangesWithoutKeys(cluster, resolved.sshAllowedCidrs);
      refuseOpenMachineApi(cluster, resolved.apiAllowedCidrs);
      checkAwsGroups(cluster);
      refuseOtherArchMachines(
        cluster,
        instanceArch,
        resolved.defaultInstanceType === undefined
          ? undefined
          : { argument: "defaultInstanceType", machineType: resolved.defaultInstanceType },
      );
    },
    addons: awsAddons,
    site: (cluster, parent) => clusterSite(resolved, cluster, parent),
    joinSite(group, parent) {
      const { ids, id } = siteId<AwsSiteIds>(group);
      return workerSite(resolved, group.groups, parent, {
        ...noApiPath(),
        ids,
        subnetIds: id("nodeSubnetIds"),
        // Fixed by the cluster's VPC, which this program did not make: read at deploy time.
        publicIp: id("publicNodes").apply((p) => p === "true"),
        securityGroupIds: [id("nodeSecurityGroupId")],
        instanceProfileArn: id("workerInstanceProfileArn"),
        // Read at deploy time, like publicNodes; older clusters' ids lack it.
        autoscaler: id("autoscaler").apply((a) => a === "true"),
        store: (request, pointer) =>
          storePayload(
            request.name,
            id("payloadBucket"),
            joinedPayloadKey(group.name, request.pool),
            request.payload,
            pointer,
            clusterTags(request.cluster, request.tags),
            parent,
          ),
      });
    },
  };
}

/** A cluster's own site: network, security groups, load balancer, payload bucket, roles. */
function clusterSite(
  resolved: ResolvedAws,
  cluster: PlatformClusterInfo,
  parent: pulumi.Resource,
): Site {
  const warning = openApiWarning(cluster, resolved.apiAllowedCidrs);
  if (warning) pulumi.log.warn(warning, parent);
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
  const role = (r: "control-plane" | "worker", policies?: Record<string, object>) =>
    awsNodeRole(cluster.name, r, payloads.bucket.arn, cluster.tags, parent, policies);
  // The cloud controller, the EBS CSI controller and the autoscaler run on control-plane nodes.
  const roles = {
    "control-plane": role("control-plane", controlPlanePolicies(cluster.name, cluster.services)),
    worker: role("worker"),
  };
  const store = (request: MachinesRequest, key: string, pointer: PayloadPointer) =>
    storePayload(
      `${cluster.name}-${key.replace("/", "-")}`,
      payloads.bucket.bucket,
      key,
      request.payload,
      pointer,
      clusterTags(cluster.name, cluster.tags),
      parent,
    );
  const autoscaler = cluster.services?.autoscaler === true;
  const ids: pulumi.Output<SiteIds> = pulumi
    .all([
      network.vpcId,
      network.nodeSubnetIds,
      groups.nodes.id,
      payloads.bucket.bucket,
      roles.worker.profile.arn,
    ])
    .apply(
      ([vpcId, nodeSubnetIds, sg, bucket, profile]): SiteIds =>
        ({
          vpcId,
          nodeSubnetIds,
          publicNodes: String(network.publicNodes),
          nodeSecurityGroupId: sg,
          payloadBucket: bucket,
          workerInstanceProfileArn: profile,
          autoscaler: String(autoscaler),
        }) satisfies AwsSiteIds,
    );
  const workers = workerSite(resolved, cluster.groups, parent, {
    endpoint: { host: lb.dnsName, port: cluster.apiPort },
    apiPath: [
      ...network.resources,
      groups.apiLb,
      groups.nodes,
      groups.controlPlane,
      ...groups.rules,
      ...lb.resources,
    ],
    ids,
    subnetIds: network.nodeSubnetIds,
    publicIp: network.publicNodes,
    securityGroupIds: [groups.nodes.id],
    instanceProfileArn: roles.worker.profile.arn,
    autoscaler,
    store: (request, pointer) => store(request, `worker/${request.pool}`, pointer),
  });
  return {
    ...workers,
    machines(request) {
      if (request.role === "worker") return workers.machines(request);
      plannedGroup("aws", cluster.groups, request);
      refuseDelivery("aws", request, ["user-data", "machine-api"]);
      const part = request.role === "control-plane" ? "init" : "join";
      return awsControllers(
        request,
        {
          ami: workers.ami(request),
          subnetIds: network.nodeSubnetIds,
          publicIp: network.publicNodes,
          securityGroupIds: [groups.nodes.id, groups.controlPlane.id],
          instanceProfile: roles["control-plane"].profile.name,
          userData: deliveredPayload(request, (pointer) =>
            store(request, `control-plane/${part}`, pointer),
          ),
          targets: lb.targets,
          hopLimit: resolved.metadataHopLimit,
          ...(resolved.defaultInstanceType !== undefined && {
            defaultInstanceType: resolved.defaultInstanceType,
          }),
        },
        parent,
      );
    },
  };
}

/** Where a site's worker pools go, and how their payloads are stored. */
interface WorkerPlace extends Omit<Site, "machines"> {
  subnetIds: pulumi.Output<string[]>;
  publicIp: pulumi.Input<boolean>;
  securityGroupIds: pulumi.Input<string>[];
  instanceProfileArn: pulumi.Input<string>;
  /** Whether the cluster runs cluster-autoscaler (`WorkerPlacement.autoscaler`). */
  autoscaler: pulumi.Input<boolean>;
  /** Stores a payload the OS can point to; returns the pointer. */
  store(request: MachinesRequest, pointer: PayloadPointer): pulumi.Output<string>;
}

/** A site that makes worker pools only: a node group's, or the worker half of a cluster's. */
function workerSite(
  resolved: ResolvedAws,
  planned: PlatformClusterInfo["groups"],
  parent: pulumi.Resource,
  place: WorkerPlace,
): Site & { ami(request: MachinesRequest): ResolvedAmi } {
  const amis = new Map<string, ResolvedAmi>();
  const ami = (request: MachinesRequest) =>
    once(amis, request.image, () => resolveAmi(request.image, parent));
  return {
    endpoint: place.endpoint,
    apiPath: place.apiPath,
    ids: place.ids,
    ami,
    machines(request) {
      plannedWorkers("aws", planned, request);
      // An autoscaled pool's machines come and go unseen: only user-data reaches them.
      refuseDelivery("aws", request, ["user-data"]);
      return awsWorkerPool(
        request,
        {
          ami: ami(request),
          subnetIds: place.subnetIds,
          publicIp: place.publicIp,
          securityGroupIds: place.securityGroupIds,
          instanceProfileArn: place.instanceProfileArn,
          autoscaler: place.autoscaler,
          userData: deliveredPayload(request, (pointer) => place.store(request, pointer)),
          hopLimit: resolved.metadataHopLimit,
          ...(resolved.defaultInstanceType !== undefined && {
            defaultInstanceType: resolved.defaultInstanceType,
          }),
        },
        parent,
      );
    },
  };
}
