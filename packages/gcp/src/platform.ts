import type {
  MachinesRequest,
  PayloadPointer,
  PlannedGroup,
  Platform,
  PlatformClusterInfo,
  PlatformServices,
  Site,
  SiteIds,
} from "@minos/core";
import {
  checkMachineTypes,
  deliveredPayload,
  joinedPayloadKey,
  MinosError,
  NO_PLATFORM_SERVICES,
  noApiPath,
  once,
  openApiWarning,
  plannedGroup,
  plannedWorkers,
  refuseOpenMachineApi,
  refuseOtherArchMachines,
  refuseSshRangesWithoutKeys,
  siteId,
} from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import { gcpAddons } from "./addons.js";
import type { GcpPlatformArgs } from "./args.js";
import { gcpControllers } from "./controllers.js";
import { gcpDescription } from "./description.js";
import { gcpFirewall } from "./firewall.js";
import { gcpServiceAccount } from "./iam.js";
import { resolveGcpImage } from "./image.js";
import { clusterLabels, nodeTag } from "./labels.js";
import { gcpApiLoadBalancer } from "./lb.js";
import { machineArch, machineTypeOf } from "./machine-arch.js";
import { gcpNetwork } from "./network.js";
import { gcpPayloadBucket, storePayload } from "./payloads.js";
import { checkGcpRollouts } from "./rollout.js";
import { controlPlaneScopes, gcpServiceRoles } from "./service-roles.js";
import type { GcpSiteIds } from "./site-ids.js";
import type { ResolvedGcp } from "./validate.js";
import { checkBucketSafeName, checkGcpLabels, resolveGcpArgs } from "./validate.js";
import { gcpWorkerPool } from "./workers.js";
import { pinnedZones } from "./zones.js";

export type { GcpSiteIds } from "./site-ids.js";

/**
 * Google Cloud as a minos platform: a VPC and regional subnet (new or
 * yours) with Cloud NAT, firewall rules by network tag, a passthrough
 * network load balancer on a reserved address for the API, a service account
 * per node role, control-plane instances over the region's zones and worker
 * pools as regional managed instance groups. Arguments are checked here,
 * before any resource exists. With `platformServices` (all on by default)
 * its clusters run Google's cloud controller manager, which initializes
 * nodes and makes Services of type `LoadBalancer`, and the persistent-disk
 * CSI driver with a default StorageClass; the control-plane account gets
 * the roles those need (see `gcpServiceRoles`).
 *
 * Providers: pass a `gcp.Provider` (project, credentials) through the
 * cluster's `opts.providers`; minos never makes one.
 */
export function gcpPlatform(args: GcpPlatformArgs): Platform {
  const resolved = resolveGcpArgs(args);
  return {
    ...gcpDescription,
    serialConsole: "gcloud compute instances get-serial-port-output <instance> --zone <zone>",
    ...(resolved.network.cidr !== undefined && { nodeCidr: resolved.network.cidr }),
    addons: gcpAddons,
    validate(cluster) {
      refuseServicesWithoutController(cluster.services ?? NO_PLATFORM_SERVICES);
      refuseSshRangesWithoutKeys(cluster, resolved.sshAllowedCidrs);
      refuseOpenMachineApi(cluster, resolved.apiAllowedCidrs);
      // A cluster's own bucket; a joining node group stores in its cluster's.
      if (cluster.controlPlaneCount > 0) checkBucketSafeName(cluster.name);
      checkGcpLabels(cluster);
      checkGcpRollouts(cluster.groups);
      refuseOtherArchMachines(
        cluster,
        machineArch,
        resolved.defaultMachineType === undefined
          ? undefined
          : { argument: "defaultMachineType", machineType: resolved.defaultMachineType },
      );
      // Predefined (e2-standard-2, n2d-highmem-8, c3-standard-4-lssd) or custom (e2-custom-4-8192).
      checkMachineTypes(
        cluster,
        /^[a-z][a-z0-9]*-[a-z0-9-]+$/,
        "e2-standard-2 or e2-custom-4-8192",
      );
    },
    site: (cluster, parent) => clusterSite(resolved, cluster, parent),
    joinSite(group, parent) {
      const { ids, id } = siteId<GcpSiteIds>(group);
      return workerSite(resolved, group.name, group.groups, parent, {
        zones: pinnedZones(resolved.region, parent),
        ...noApiPath(),
        ids,
        subnetwork: id("subnetwork"),
        serviceAccount: id("workerServiceAccount"),
        nodeTag: id("nodeTag"),
        store: (request, pointer) =>
          storePayload(
            request.name,
            id("payloadBucket"),
            joinedPayloadKey(group.name, request.pool),
            request.payload,
            pointer,
            parent,
          ),
      });
    },
  };
}

/**
 * Service load balancers are the cloud controller's service controller: with
 * the controller off, nothing would make them. Volumes do not need it: the
 * disk driver's node plugin learns its instance and zone from the metadata
 * server, and nodes need neither a provider ID nor the controller's labels.
 */
function refuseServicesWithoutController(services: PlatformServices): void {
  if (services.loadBalancers && !services.controller)
    throw new MinosError(
      "platformServices.loadBalancers",
      true,
      "on gcp, Services of type LoadBalancer are made by the cloud controller: set loadBalancers false, or leave controller on",
    );
}

/** A cluster's own site: network, firewall, load balancer, service accounts. */
function clusterSite(
  resolved: ResolvedGcp,
  cluster: PlatformClusterInfo,
  parent: pulumi.Resource,
): Site {
  const warning = openApiWarning(cluster, resolved.apiAllowedCidrs);
  if (warning) pulumi.log.warn(warning, parent);
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
  const pinned = pinnedZones(resolved.region, parent);
  const zones = [...Array(cluster.controlPlaneCount).keys()].map((i) =>
    pinned.apply((z) => z[i % z.length] as string),
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
  const controlPlaneAccount = gcpServiceAccount(cluster.name, "control-plane", parent);
  const workerAccount = gcpServiceAccount(cluster.name, "worker", parent);
  const services = cluster.services ?? NO_PLATFORM_SERVICES;
  // Before any machine: the controller and the disk driver act as the control plane's account.
  gcpServiceRoles(
    cluster.name,
    services,
    { controlPlane: controlPlaneAccount, worker: workerAccount },
    parent,
  );
  const payloads = gcpPayloadBucket(
    cluster.name,
    resolved.region,
    labels,
    { "control-plane": controlPlaneAccount.email, worker: workerAccount.email },
    parent,
  );
  const store = (request: MachinesRequest, key: string, pointer: PayloadPointer) =>
    storePayload(
      `${cluster.name}-${key.replace("/", "-")}`,
      payloads.name,
      key,
      request.payload,
      pointer,
      parent,
    );
  const ids = pulumi
    .all([
      network.subnetwork,
      workerAccount.email,
      payloads.name,
      controlPlaneAccount.project,
      network.network,
    ])
    .apply(
      ([subnetwork, account, bucket, project, net]): SiteIds =>
        ({
          subnetwork,
          workerServiceAccount: account,
          nodeTag: nodeTag(cluster.name),
          payloadBucket: bucket,
          project,
          network: net,
        }) satisfies GcpSiteIds,
    );
  const workers = workerSite(resolved, cluster.name, cluster.groups, parent, {
    zones: pinned,
    endpoint: { host: lb.address, port: cluster.apiPort },
    apiPath: [...network.resources, ...firewall, ...lb.resources],
    ids,
    subnetwork: network.subnetwork,
    serviceAccount: workerAccount.email,
    nodeTag: nodeTag(cluster.name),
    store: (request, pointer) => store(request, `worker/${request.pool}`, pointer),
  });
  return {
    ...workers,
    machines(request) {
      if (request.role === "worker") return workers.machines(request);
      plannedGroup("gcp", cluster.groups, request);
      const image = workers.image(request);
      const part = request.role === "control-plane" ? "init" : "join";
      return gcpControllers(
        request,
        {
          ...image,
          userData: deliveredPayload(request, (pointer) =>
            store(request, `control-plane/${part}`, pointer),
          ),
          subnetwork: network.subnetwork,
          machineType: machineTypeOf(request, resolved.defaultMachineType),
          zones,
          serviceAccount: controlPlaneAccount.email,
          scopes: controlPlaneScopes(services),
          groups: lb.groups,
        },
        parent,
      );
    },
  };
}

/** Where a site's worker pools go. */
interface WorkerPlace extends Omit<Site, "machines"> {
  subnetwork: pulumi.Input<string>;
  serviceAccount: pulumi.Input<string>;
  nodeTag: pulumi.Input<string>;
  /** The cluster's pinned zones (see `pinnedZones`). */
  zones: pulumi.Output<string[]>;
  /** Stores a payload the OS can point to; returns the pointer. */
  store(request: MachinesRequest, pointer: PayloadPointer): pulumi.Output<string>;
}

/** A site that makes worker pools only: a node group's, or the worker half of a cluster's. */
function workerSite(
  resolved: ResolvedGcp,
  name: string,
  planned: readonly PlannedGroup[],
  parent: pulumi.Resource,
  place: WorkerPlace,
): Site & {
  image(request: MachinesRequest): { image: pulumi.Output<string>; secureBoot: boolean };
} {
  const images = new Map<string, pulumi.Output<string>>();
  const image = (request: MachinesRequest) => ({
    image: once(images, request.image, () => resolveGcpImage(request.image, name, parent)),
    secureBoot: request.image.platform === "gcp" && request.image.secureBoot === true,
  });
  return {
    endpoint: place.endpoint,
    apiPath: place.apiPath,
    ids: place.ids,
    image,
    machines(request) {
      plannedWorkers("gcp", planned, request);
      return gcpWorkerPool(
        request,
        {
          ...image(request),
          subnetwork: place.subnetwork,
          machineType: machineTypeOf(request, resolved.defaultMachineType),
          region: resolved.region,
          serviceAccount: place.serviceAccount,
          externalIp: resolved.workerExternalIps,
          nodeTag: place.nodeTag,
          userData: deliveredPayload(request, (pointer) => place.store(request, pointer)),
          zones: place.zones,
        },
        parent,
      );
    },
  };
}
