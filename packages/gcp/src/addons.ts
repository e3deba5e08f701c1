import type { PlatformAddonContext } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import { gcpCloudControllerManager } from "./ccm.js";
import { gceCloudConfig } from "./cloud-config.js";
import { gcpPersistentDisks } from "./pd-csi.js";
import type { GcpSiteIds } from "./site-ids.js";

/**
 * What a GCP cluster's workloads get from the platform, part by part: the
 * cloud controller manager (which also runs Service load balancers when
 * `loadBalancers` is on) and the persistent-disk CSI driver with its default
 * StorageClass. Installed through the cluster's provider once the API
 * answers; nothing here waits for a node to be Ready: the controller is
 * what initializes nodes.
 */
export function gcpAddons(ctx: PlatformAddonContext): pulumi.Resource[] {
  const { name, services, opts } = ctx;
  const ids = pulumi.output(ctx.ids) as unknown as pulumi.Output<Partial<GcpSiteIds>>;
  const required = (key: keyof GcpSiteIds) =>
    ids.apply((all) => {
      const value = all[key];
      if (typeof value !== "string" || value === "")
        throw new Error(`the site of cluster ${name} has no ${key} for its cloud controller`);
      return value;
    });
  return [
    ...(services.controller
      ? gcpCloudControllerManager(
          name,
          {
            cloudConfig: gceCloudConfig({
              project: required("project"),
              network: required("network"),
              subnetwork: required("subnetwork"),
              nodeTag: required("nodeTag"),
            }),
            loadBalancers: services.loadBalancers,
          },
          opts,
        )
      : []),
    ...(services.volumes ? gcpPersistentDisks(name, opts) : []),
  ];
}
