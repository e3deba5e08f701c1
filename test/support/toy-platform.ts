/**
 * A platform written outside minos, against `@minos/core`'s public exports
 * only: what a third party's package would hold. "toycloud" has networks,
 * a load balancer, an object store and machine groups, all its own
 * resource types; its images are its own shape; payloads the OS can point to
 * go into its object store, which caps objects at 64 KiB.
 *
 * It records what minos asked of it, so tests can hold the pipeline to the
 * contract: one site per cluster, one `machines` per planned group.
 */
import type {
  ConfigDelivery,
  Machines,
  MachinesRequest,
  OtherImageRef,
  PayloadLimit,
  PlannedGroup,
  Platform,
  PlatformClusterInfo,
  PlatformJoinInfo,
  Site,
  SiteIds,
} from "@minos/core";
import { checkMachineTypes, groupArgument, MinosError, plannedGroup } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";

/** toycloud's image reference: a disk from its catalogue. */
export interface ToyImageRef extends OtherImageRef {
  platform: "toycloud";
  kind: "toy-disk";
  /** The catalogue's disk name, e.g. `toyos-stable-amd64`. */
  disk: string;
}

/** What a node group joining a toycloud cluster needs (`Site.ids`). */
export type ToySiteIds = {
  region: string;
  network: string;
  bucket: string;
};

/** toycloud's user-data takes 16 KiB. */
export const TOY_USER_DATA_LIMIT: PayloadLimit = {
  bytes: 16_384,
  what: "toycloud user-data limit",
};
/** Its object store takes objects of 64 KiB. */
export const TOY_OBJECT_LIMIT: PayloadLimit = {
  bytes: 65_536,
  what: "toycloud object-store limit",
};

const NODE_CIDR = "10.9.0.0/16";

/** A toycloud resource: a custom resource of the platform's own provider. */
class ToyResource extends pulumi.CustomResource {
  constructor(
    type: string,
    name: string,
    props: pulumi.Inputs,
    opts: pulumi.CustomResourceOptions = {},
  ) {
    super(`toycloud:${type}`, name, props, opts);
  }
}

class ToyLoadBalancer extends ToyResource {
  declare readonly hostname: pulumi.Output<string>;
}

/** What minos asked of one toycloud value. */
export interface ToyCalls {
  validate: PlatformClusterInfo[];
  site: { info: PlatformClusterInfo; site: Site }[];
  joinSite: { info: PlatformJoinInfo; site: Site }[];
  machines: MachinesRequest[];
}

export interface ToyCloudArgs {
  region?: string;
}

/** A toycloud platform value, with what it was asked. */
export type ToyCloud = Platform & { readonly calls: ToyCalls };

/**
 * toycloud as a minos platform. Checks its arguments now, and what a
 * cluster or node group asks of it in `validate`.
 */
export function toycloud(args: ToyCloudArgs = {}): ToyCloud {
  const region = args.region ?? "toy-east-1";
  if (!/^toy-[a-z]+-\d$/.test(region))
    throw new MinosError("region", region, 'use a toycloud region like "toy-east-1"');
  const calls: ToyCalls = { validate: [], site: [], joinSite: [], machines: [] };
  return {
    name: "toycloud",
    nodeCidr: NODE_CIDR,
    calls,
    payloadLimit: (delivery: ConfigDelivery) =>
      delivery.kind === "user-data" && delivery.pointer ? TOY_OBJECT_LIMIT : TOY_USER_DATA_LIMIT,
    validate(cluster) {
      calls.validate.push(cluster);
      if (cluster.controlPlaneCount > 3)
        throw new MinosError(
          "controlPlane.count",
          cluster.controlPlaneCount,
          "toycloud has three zones: use 1 or 3",
        );
      checkMachineTypes(cluster, /^toy-(small|large)$/, "toy-small or toy-large");
      for (const g of cluster.groups)
        if (g.spot)
          throw new MinosError(groupArgument(g, "spot"), true, "toycloud has no spot capacity");
    },
    site(cluster, parent) {
      const opts = { parent };
      const network = new ToyResource(
        "net:Network",
        `${cluster.name}-net`,
        { region, cidr: NODE_CIDR },
        opts,
      );
      const lb = new ToyLoadBalancer(
        "net:LoadBalancer",
        `${cluster.name}-api`,
        {
          region,
          network: network.id,
          ports: [cluster.apiPort, ...cluster.controlPlanePorts],
          hostname: `${cluster.name}.lb.${region}.toycloud.test`,
        },
        opts,
      );
      const bucket = new ToyResource(
        "storage:Bucket",
        `${cluster.name}-payloads`,
        { region, private: true },
        opts,
      );
      const ids = pulumi
        .all([network.id, bucket.id])
        .apply(([net, b]): SiteIds => ({ region, network: net, bucket: b }) satisfies ToySiteIds);
      const groups = machineGroups(calls, "toycloud", cluster.groups, parent, {
        region,
        network: network.id,
        bucket: bucket.id,
        keyPrefix: "",
        loadBalancer: lb.id,
      });
      const site: Site = {
        endpoint: { host: lb.hostname, port: cluster.apiPort },
        apiPath: [network, lb],
        ids,
        machines: groups,
      };
      calls.site.push({ info: cluster, site });
      return site;
    },
    joinSite(group, parent) {
      const ids = pulumi.output(group.ids) as pulumi.Output<SiteIds>;
      const id = (key: keyof ToySiteIds) => ids.apply((i) => (i as ToySiteIds)[key]);
      const site: Site = {
        endpoint: { host: pulumi.output(""), port: 0 },
        apiPath: [],
        ids,
        machines: machineGroups(calls, "toycloud join", group.groups, parent, {
          region: id("region"),
          network: id("network"),
          bucket: id("bucket"),
          keyPrefix: `${group.name}/`,
        }),
      };
      calls.joinSite.push({ info: group, site });
      return site;
    },
  };
}

/** Where a site's machine groups go. */
interface ToyPlace {
  region: pulumi.Input<string>;
  network: pulumi.Input<string>;
  bucket: pulumi.Input<string>;
  /** Object keys are `<keyPrefix><group name>`. */
  keyPrefix: string;
  /** Where control-plane machines register for API traffic. */
  loadBalancer?: pulumi.Input<string>;
}

/** A site's `machines`: one toycloud machine group per planned group. */
function machineGroups(
  calls: ToyCalls,
  siteName: string,
  planned: readonly PlannedGroup[],
  parent: pulumi.Resource,
  place: ToyPlace,
): (request: MachinesRequest) => Machines {
  return (request) => {
    plannedGroup(siteName, planned, request);
    calls.machines.push(request);
    const image = toyImage(request);
    if (request.delivery.kind !== "user-data")
      throw new MinosError(
        "delivery",
        request.delivery.kind,
        "toycloud hands nodes their payload in user-data",
      );
    if (request.role !== "worker" && place.loadBalancer === undefined)
      throw new MinosError("role", request.role, "a joining node group makes workers only");
    const pointer = request.delivery.pointer;
    let userData: pulumi.Output<string>;
    const resources: pulumi.Resource[] = [];
    if (pointer) {
      const key = `${place.keyPrefix}${request.name}`;
      resources.push(
        new ToyResource(
          "storage:Object",
          `${request.name}-payload`,
          { bucket: place.bucket, key, content: request.payload },
          { parent, additionalSecretOutputs: ["content"] },
        ),
      );
      // A pointer holds no secret: plain, so previews show when it changes.
      userData = pulumi.unsecret(
        pulumi
          .all([place.bucket, request.payload])
          .apply(([bucket, payload]) => pointer(`toy://${bucket}/${key}`, payload)),
      );
    } else {
      userData = pulumi.secret(request.payload);
    }
    const group = new ToyResource(
      "compute:MachineGroup",
      request.name,
      {
        region: place.region,
        network: place.network,
        role: request.role,
        pool: request.pool,
        size: request.count,
        minSize: request.minCount,
        maxSize: request.maxCount,
        disk: image.disk,
        machineType: request.machineType ?? "toy-small",
        diskGiB: request.diskGiB,
        encrypted: true,
        userData,
        tags: { ...request.tags, "toycloud:cluster": request.cluster },
        ...(request.role !== "worker" && { loadBalancer: place.loadBalancer }),
      },
      { parent, dependsOn: resources },
    );
    resources.push(group);
    return {
      resources,
      groupName: group.id,
      ...(request.role !== "worker" && {
        privateIps: pulumi.output(
          [...Array(request.count).keys()].map((i) => `10.9.0.${10 + request.firstIndex + i}`),
        ),
      }),
    };
  };
}

/** The request's image, if it is toycloud's; a MinosError if not. */
function toyImage(request: MachinesRequest): ToyImageRef {
  const image = request.image;
  if (image.platform !== "toycloud" || image.kind !== "toy-disk" || typeof image.disk !== "string")
    throw new MinosError(
      "image",
      `${image.platform}/${image.kind}`,
      "toycloud boots disks of its catalogue (platform toycloud, kind toy-disk)",
    );
  return image as ToyImageRef;
}
