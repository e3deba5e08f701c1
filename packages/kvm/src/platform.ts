import type { Machines, Platform, SiteIds } from "@minos/core";
import {
  localPathProvisioner,
  MinosError,
  noApiPath,
  nthAddress,
  rolloutArgs,
  stackHash,
} from "@minos/core";
import type { Domain } from "@minos/libvirt";
import { Network } from "@minos/libvirt";
import * as pulumi from "@pulumi/pulumi";
import type { KvmPlatformArgs } from "./args.js";
import { kvmDescription } from "./description.js";
import { kvmDomains } from "./domains.js";
import type { KvmNode } from "./identity.js";
import { planNodes, VIRTUAL_IP_HOST, workerSlots } from "./identity.js";
import { refuseControlPlaneClash } from "./load-balancer-addresses.js";
import { metallb } from "./metallb.js";
import { parseMachineType, resolveKvmArgs } from "./validate.js";

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
 * Volumes live on the nodes' own disks: unless `platformServices.volumes`
 * is false, each cluster gets rancher/local-path-provisioner and its
 * `local-path` StorageClass as the default, keeping volumes in the OS's
 * `localVolumePath`. Unless `platformServices.loadBalancers` is false,
 * Services of type `LoadBalancer` get addresses of a block of the network
 * below its DHCP range (`loadBalancerAddresses`), which the network records
 * as a DNS TXT record `<cluster>-load-balancers`, from MetalLB in layer 2
 * mode.
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
    serialConsole: `virsh --connect ${resolved.uri} console <domain>; virsh --connect ${resolved.uri} list --all names them`,
    // The one place volumes can live here; an OS that names none gets no StorageClass.
    addons: ({ name, localVolumePath, services, opts }) => [
      ...(services.volumes && localVolumePath !== undefined
        ? localPathProvisioner(name, localVolumePath, opts)
        : []),
      ...(services.loadBalancers ? metallb(name, resolved.loadBalancers, opts) : []),
    ],
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
            "kvm pools roll one machine at a time, each new one booted before the old ones go: leave it unset",
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
      if (cluster.controlPlaneCount > 0) {
        const controlPlanes = [...planNodes(resolved.cidr, cluster.groups).values()].flat();
        if (cluster.services?.loadBalancers)
          refuseControlPlaneClash(
            resolved.loadBalancers,
            resolved.loadBalancerAddresses,
            controlPlanes,
          );
      }
    },
    site(cluster, parent) {
      const nodes = planNodes(resolved.cidr, cluster.groups);
      // Only control-plane nodes have fixed addresses: they are the network's reservations.
      const controlPlanes = [...nodes.values()].flat();
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
          hosts: controlPlanes,
          ...(api && { addresses: [api] }),
          ...(cluster.services?.loadBalancers && {
            ranges: [
              {
                name: `${cluster.name}-load-balancers`,
                first: resolved.loadBalancers.first,
                last: resolved.loadBalancers.last,
              },
            ],
          }),
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
          const fixed = nodes.get(request.name);
          if (!fixed) return rollingWorkers(domains(request, workerSlots(request)));
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
        machines: (request) => rollingWorkers(domains(request, workerSlots(request))),
      };
    },
  };
}

/**
 * A worker pool's machines. Their addresses are left out, as a cloud pool's
 * are: they change with every roll, so nothing is planned on them (each
 * domain reports the lease it took as `address`).
 */
function rollingWorkers(domains: Domain[]): Machines {
  return { resources: domains };
}
