import type { PlatformAddonContext, PlatformClusterInfo, PlatformServices } from "@minos/core";
import { MinosError } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import { CCM_CONTROL_PLANE_POLICY } from "./ccm-policy.js";
import { awsCloudController } from "./cloud-controller.js";
import { awsClusterAutoscaler } from "./cluster-autoscaler.js";
import { clusterAutoscalerPolicy } from "./cluster-autoscaler-policy.js";
import { awsEbsCsi } from "./ebs-csi.js";
import { EBS_CSI_DRIVER_POLICY } from "./ebs-csi-policy.js";

/** Why each part needs the cloud controller on AWS, as the refusal says it. */
const NEEDS_CONTROLLER = {
  volumes:
    "EBS volumes need the cloud controller: the CSI node plugin reads its instance ID, type and zone from its Node, which only the controller fills in (pods cannot reach instance metadata here)",
  loadBalancers: "Services' load balancers on AWS are the cloud controller's own",
} as const;

/**
 * Refuses, before anything exists, a part of `platformServices` that cannot
 * work without the cloud controller when the controller is off.
 */
export function refuseServicesWithoutController(cluster: PlatformClusterInfo): void {
  const services = cluster.services;
  if (!services || services.controller) return;
  for (const part of ["volumes", "loadBalancers"] as const)
    if (services[part])
      throw new MinosError(
        `platformServices.${part}`,
        true,
        `${NEEDS_CONTROLLER[part]}: set platformServices.${part} to false too, or leave platformServices.controller on`,
      );
}

/**
 * The control-plane role's policies for the parts that run there, by name:
 * the cloud controller's, the EBS CSI controller's and cluster-autoscaler's
 * (limited to this cluster's groups). Workers get none.
 */
export function controlPlanePolicies(cluster: string, services: PlatformServices | undefined) {
  const policies: Record<string, object> = {};
  if (services?.controller) policies["cloud-controller"] = CCM_CONTROL_PLANE_POLICY;
  if (services?.volumes) policies["ebs-csi"] = EBS_CSI_DRIVER_POLICY;
  if (services?.autoscaler) policies["cluster-autoscaler"] = clusterAutoscalerPolicy(cluster);
  return policies;
}

/**
 * What an AWS cluster gives its workloads, once its API answers: the cloud
 * controller (which also serves load balancers unless they are off) and,
 * after it, the EBS CSI driver with the default StorageClass; when asked,
 * cluster-autoscaler for the cluster's Kubernetes minor.
 */
export function awsAddons(ctx: PlatformAddonContext): pulumi.Resource[] {
  const { name, services, opts } = ctx;
  if (!services.controller) return [];
  const controller = awsCloudController(name, services, opts);
  return [
    controller.config,
    controller.release,
    ...(services.volumes ? awsEbsCsi(name, controller.release, opts) : []),
    ...(services.autoscaler ? [awsClusterAutoscaler(name, ctx.kubernetes, opts)] : []),
  ];
}
