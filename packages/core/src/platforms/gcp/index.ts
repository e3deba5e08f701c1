import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { Platform, PlatformNetwork } from "../../contracts/platform.js";
import { checkMachineTypes, refuseSshRangesWithoutKeys } from "../cloud-checks.js";
import { once, PerCluster } from "../per-cluster.js";
import type { GcpPlatformArgs } from "./args.js";
import { gcpControllers } from "./controllers.js";
import { gcpFirewall } from "./firewall.js";
import { gcpServiceAccount } from "./iam.js";
import { resolveGcpImage } from "./image.js";
import { clusterLabels } from "./labels.js";
import { gcpApiLoadBalancer } from "./lb.js";
import { type GcpNetwork, gcpNetwork } from "./network.js";
import { resolveGcpArgs } from "./validate.js";
import { gcpWorkerPool } from "./workers.js";

interface GcpClusterState {
  network: GcpNetwork;
  zones: pulumi.Output<string>[];
  groups: gcp.compute.InstanceGroup[];
  accounts: Record<"control-plane" | "worker", gcp.serviceaccount.Account>;
  images: Map<string, pulumi.Output<string>>;
}

/**
 * Google Cloud as a minos platform: a VPC and regional subnet (new or
 * yours) with Cloud NAT, firewall rules by network tag, a passthrough
 * network load balancer on a reserved address for the API, a service account
 * per node role, control-plane instances over the region's zones and worker
 * pools as regional managed instance groups. Arguments are checked here,
 * before any resource exists.
 *
 * Providers: pass a `gcp.Provider` (project, credentials) through the
 * cluster's `opts.providers`; minos never makes one.
 */
export function gcpPlatform(args: GcpPlatformArgs): Platform {
  const resolved = resolveGcpArgs(args);
  const clusters = new PerCluster<GcpClusterState>("gcp");
  return {
    name: "gcp",
    validate(cluster) {
      refuseSshRangesWithoutKeys(cluster, resolved.sshAllowedCidrs);
      // Predefined (e2-standard-2, n2d-highmem-8, c3-standard-4-lssd) or custom (e2-custom-4-8192).
      checkMachineTypes(
        cluster,
        /^[a-z][a-z0-9]*-[a-z0-9-]+$/,
        "e2-standard-2 or e2-custom-4-8192",
      );
    },
    ...(resolved.network.cidr !== undefined && { nodeCidr: resolved.network.cidr }),
    network(cluster, parent) {
      const labels = clusterLabels(cluster.name, cluster.tags);
      const network = gcpNetwork(cluster.name, resolved, labels, parent);
      const firewall = gcpFirewall(
        cluster.name,
        network.network,
        {
          api: resolved.apiAllowedCidrs,
          ssh: cluster.sshEnabled ? resolved.sshAllowedCidrs : [],
          natIps: network.natIps,
        },
        parent,
        cluster.controlPlanePorts,
      );
      const names = gcp.compute.getZonesOutput(
        { region: resolved.region, status: "UP" },
        { parent },
      ).names;
      const zones = [...Array(cluster.controlPlaneCount).keys()].map((i) =>
        names.apply((z) => z[i % z.length] as string),
      );
      const lb = gcpApiLoadBalancer(
        cluster.name,
        resolved.region,
        zones,
        network.network,
        labels,
        parent,
        cluster.controlPlanePorts,
      );
      const platformNetwork: PlatformNetwork = {
        endpoint: { host: lb.address, port: cluster.apiPort },
        apiPath: [...network.resources, ...firewall, ...lb.resources],
      };
      return clusters.set(platformNetwork, {
        network,
        zones,
        groups: lb.groups,
        accounts: {
          "control-plane": gcpServiceAccount(cluster.name, "control-plane", parent),
          worker: gcpServiceAccount(cluster.name, "worker", parent),
        },
        images: new Map(),
      });
    },

    machines(request, parent) {
      const state = clusters.get(request);
      const image = once(state.images, request.image, () => resolveGcpImage(request.image, parent));
      const secureBoot = request.image.platform === "gcp" && request.image.secureBoot === true;
      const common = {
        image,
        secureBoot,
        subnetwork: state.network.subnetwork,
        machineType: request.machineType ?? resolved.defaultMachineType,
      };
      if (request.role === "worker") {
        return gcpWorkerPool(
          request,
          {
            ...common,
            region: resolved.region,
            serviceAccount: state.accounts.worker.email,
            externalIp: resolved.workerExternalIps,
          },
          parent,
        );
      }
      return gcpControllers(
        request,
        {
          ...common,
          zones: state.zones,
          serviceAccount: state.accounts["control-plane"].email,
          groups: state.groups,
        },
        parent,
      );
    },
  };
}
