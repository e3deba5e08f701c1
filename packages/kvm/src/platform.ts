import {
  type Arch,
  imageFor,
  type MachinesRequest,
  MinosError,
  noApiPath,
  nthAddress,
  once,
  type PlannedGroup,
  type Platform,
  plannedGroup,
  rolloutArgs,
  type SiteIds,
  stackHash,
} from "@minos/core";
import { BaseImage, ConfigDisk, Disk, Domain, type DomainInputs, Network } from "@minos/libvirt";
import * as pulumi from "@pulumi/pulumi";
import type { KvmPlatformArgs } from "./args.js";
import { kvmDescription } from "./description.js";
import { type KvmNode, lateNodes, planNodes, VIRTUAL_IP_HOST } from "./identity.js";
import { parseMachineType, type ResolvedKvm, resolveKvmArgs } from "./validate.js";

/** The ids a node group joining a KVM cluster needs (`Site.ids`). */
export type KvmSiteIds = {
  /** The libvirt network's name. */
  network: string;
};

/**
 * A local libvirt host as a minos platform, through `@minos/libvirt`: one
 * NAT network per cluster with a fixed address for every node, the OS image
 * downloaded and verified once per digest, a qcow2 overlay per node and a
 * domain that gets its first-boot payload by fw_cfg or a cidata ISO.
 *
 * With one control-plane node, its fixed address is the API endpoint. With
 * several, there is no load balancer to put in front of them: the endpoint
 * is a virtual address (`.5`) that the control-plane nodes hold themselves,
 * one at a time, answering ARP for it; the network lists it as a DNS host
 * entry `<cluster>-api`, below the DHCP range, so no lease hands it out.
 *
 * libvirt names are unique per host, so the network, volumes and domains end
 * in the stack hash (host names stay `<cluster>-<pool>-<n>`): two stacks of
 * one program can share a host, each with its own `cidr`. Objects named
 * before the hash keep their names: a renamed domain or disk is a new one.
 */
export function kvm(args: KvmPlatformArgs = {}): Platform {
  const resolved = resolveKvmArgs(args);
  return {
    ...kvmDescription,
    nodeCidr: resolved.cidr.text,
    // Every libvirt network on one host is routed by that host: clusters there share addresses.
    addressSpace: { id: `the KVM host ${resolved.host}`, cidrArgument: "cidr" },
    // No load balancer here: several control-plane nodes hold one address.
    virtualIp: (cluster) => cluster.controlPlaneCount > 1,
    validate(cluster) {
      for (const g of cluster.groups) {
        if (g.machineType !== undefined)
          parseMachineType(
            g.role === "worker" ? `nodePools.${g.pool}.machineType` : "controlPlane.machineType",
            g.machineType,
          );
        if (g.spot)
          throw new MinosError(
            `nodePools.${g.pool}.spot`,
            true,
            "kvm has no spot capacity: leave spot unset",
          );
        if (g.rollout)
          throw new MinosError(
            `nodePools.${g.pool}.rollout`,
            rolloutArgs(g.rollout),
            "kvm pools take no rollout settings (they apply to AWS and GCP pools): leave it unset",
          );
        if (g.role === "worker" && g.maxCount !== g.count) {
          throw new MinosError(
            `nodePools.${g.pool}.maxCount`,
            g.maxCount,
            "kvm pools have a fixed size: leave minCount and maxCount unset",
          );
        }
      }
      // Addresses: a cidr too small for the cluster's workers is refused here too.
      if (cluster.controlPlaneCount > 0) planNodes(resolved.cidr, cluster.groups);
    },
    site(cluster, parent) {
      const nodes = planNodes(resolved.cidr, cluster.groups);
      const hosts = [...nodes.values()].flat().map(({ mac, ip, name }) => ({ mac, ip, name }));
      const controlPlanes = [...nodes.values()].flat().filter((n) => n.role !== "worker");
      // One node: its own address. Several: a virtual one they hold (kube-vip, Talos's VIP).
      const api =
        controlPlanes.length > 1
          ? { ip: nthAddress(resolved.cidr, VIRTUAL_IP_HOST), name: `${cluster.name}-api` }
          : undefined;
      const network = new Network(
        `${cluster.name}-net`,
        {
          uri: resolved.uri,
          name: `minos-${cluster.name}-${stackHash(cluster.name)}`,
          cidr: resolved.cidr.text,
          hosts,
          ...(api && { addresses: [api] }),
        },
        { parent, ignoreChanges: ["name"] },
      );
      const first = controlPlanes[0] as KvmNode;
      const domains = kvmDomains(resolved, cluster.name, cluster.groups, network.name, parent);
      return {
        endpoint: { host: pulumi.output(api?.ip ?? first.ip), port: cluster.apiPort },
        certSans: pulumi.output(
          api ? [api.name, ...controlPlanes.map((n) => n.name)] : [first.name],
        ),
        // The endpoint is the control-plane domain itself, on this network.
        apiPath: [network],
        ids: network.name.apply((name): SiteIds => ({ network: name }) satisfies KvmSiteIds),
        machines: (request) => {
          const fixed = nodes.get(request.name) ?? [];
          return {
            resources: domains(request, fixed),
            privateIps: pulumi.output(fixed.slice(0, request.count).map((n) => n.ip)),
          };
        },
      };
    },
    joinSite(group, parent) {
      const network = pulumi
        .output(group.ids)
        .apply((ids) => (ids as KvmSiteIds).network as string);
      const domains = kvmDomains(resolved, group.name, group.groups, network, parent);
      return {
        ...noApiPath(),
        ids: group.ids,
        // Pools joining later take addresses from the network's DHCP range.
        machines: (request) => ({ resources: domains(request, lateNodes(request)) }),
      };
    },
  };
}

/**
 * Makes a site's domains: the OS image downloaded and verified once per
 * image, and per node a qcow2 overlay, the first-boot payload (fw_cfg or a
 * cidata ISO) and the domain on the site's network.
 */
function kvmDomains(
  resolved: ResolvedKvm,
  name: string,
  planned: readonly PlannedGroup[],
  network: pulumi.Input<string>,
  parent: pulumi.Resource,
) {
  const lib = { uri: resolved.uri };
  const hash = stackHash(name);
  const bases = new Map<string, BaseImage>();
  return (request: MachinesRequest, nodes: readonly { name: string; mac: string }[]) => {
    plannedGroup("kvm", planned, request);
    const image = imageFor("kvm", request.image);
    const base = once(
      bases,
      image,
      () =>
        new BaseImage(
          `${name}-base-${bases.size}`,
          {
            ...lib,
            pool: resolved.pool,
            url: image.url,
            digest: pulumi.output(image.digest),
            format: image.format,
            compression: image.compression,
          },
          { parent },
        ),
    );
    const size = parseMachineType(
      `${request.pool} machineType`,
      request.machineType ?? resolved.defaultMachineType,
    );
    return nodes.slice(0, request.count).map((node) => {
      const named = `${node.name}-${hash}`;
      const disk = new Disk(
        node.name,
        {
          ...lib,
          pool: resolved.pool,
          name: `${named}.qcow2`,
          basePath: base.path,
          baseFormat: base.format,
          sizeGiB: request.diskGiB,
        },
        // The disk is the node's own once it booted: a new base image (a new
        // OS release) is for disks made later; the OS updates this one itself.
        { parent, ignoreChanges: ["name", "basePath", "baseFormat"] },
      );
      const attach = (volume: pulumi.Output<string>, format: "qcow2" | "raw", device?: "cdrom") =>
        pulumi.output({
          pool: resolved.pool,
          volume,
          format,
          ...(device && { device }),
        }) as pulumi.Output<DomainInputs["disks"][number]>;
      const disks = [attach(disk.name, "qcow2")];
      let firstBoot: pulumi.Input<DomainInputs["firstBoot"]>;
      switch (request.delivery.kind) {
        case "fw_cfg": {
          const key = request.delivery.key;
          firstBoot = request.payload.apply((payload) => ({
            kind: "fw_cfg" as const,
            key,
            pool: resolved.pool,
            payload,
          }));
          break;
        }
        case "cidata": {
          const seed = new ConfigDisk(
            `${node.name}-seed`,
            {
              ...lib,
              pool: resolved.pool,
              name: `${named}-seed.iso`,
              userData: request.payload,
              metaData: `instance-id: ${node.name}\nlocal-hostname: ${node.name}\n`,
            },
            // Read at first boot only, like the domain's payload below.
            { parent, ignoreChanges: ["name", "userData"] },
          );
          disks.push(attach(seed.name, "raw", "cdrom"));
          break;
        }
        default:
          throw new MinosError(
            "delivery",
            request.delivery.kind,
            "kvm delivers first-boot config by fw_cfg or a cidata ISO",
          );
      }
      return new Domain(
        node.name,
        {
          ...lib,
          name: named,
          ...size,
          ...firmwareFor(resolved, request.arch),
          disks,
          network: { name: network, mac: node.mac },
          ...(firstBoot !== undefined && { firstBoot }),
          autostart: true,
        },
        // First boot ran with the payload it had, and the disk keeps what it
        // did: a new payload would only recreate and reboot the VM (as on
        // AWS and GCP, where control-plane instances ignore it too).
        { parent, ignoreChanges: ["name", "firstBoot"] },
      );
    });
  };
}

/** aarch64 boots only UEFI; amd64 boots what was asked, with named files when given. */
function firmwareFor(resolved: ResolvedKvm, arch: Arch) {
  const firmware = arch === "arm64" ? "uefi" : resolved.firmware;
  const files = resolved.uefiFirmware[arch];
  return {
    arch: arch === "arm64" ? ("aarch64" as const) : ("x86_64" as const),
    firmware,
    ...(firmware === "uefi" && files && { uefiFirmware: files }),
  };
}
