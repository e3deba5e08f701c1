import { BaseImage, ConfigDisk, Disk, Domain, type DomainInputs, Network } from "@minos/libvirt";
import * as pulumi from "@pulumi/pulumi";
import type { Arch } from "../../contracts/bootstrap.js";
import type { KvmImageRef } from "../../contracts/image.js";
import type { Platform, PlatformNetwork } from "../../contracts/platform.js";
import { MinosError } from "../../errors.js";
import { once, PerCluster } from "../per-cluster.js";
import { stackHash } from "../stack-names.js";
import type { KvmPlatformArgs } from "./args.js";
import { type KvmNode, lateNodes, planNodes } from "./identity.js";
import { parseMachineType, resolveKvmArgs } from "./validate.js";

interface KvmClusterState {
  network: Network;
  /** The stack hash libvirt names end in. */
  hash: string;
  nodes: Map<string, KvmNode[]>;
  bases: Map<string, BaseImage>;
}

/**
 * A local libvirt host as a minos platform, through `@minos/libvirt`: one
 * NAT network per cluster with a fixed address for every node, the OS image
 * downloaded and verified once per digest, a qcow2 overlay per node and a
 * domain that gets its first-boot payload by fw_cfg or a cidata ISO.
 *
 * One control-plane node per cluster for now: its fixed address is the API
 * endpoint (there is no load balancer to put in front of several).
 *
 * libvirt names are unique per host, so the network, volumes and domains end
 * in the stack hash (host names stay `<cluster>-<pool>-<n>`): two stacks of
 * one program can share a host, each with its own `cidr`. Objects named
 * before the hash keep their names: a renamed domain or disk is a new one.
 */
export function kvm(args: KvmPlatformArgs = {}): Platform {
  const resolved = resolveKvmArgs(args);
  // aarch64 boots only UEFI; amd64 boots what was asked, with named files when given.
  const firmwareFor = (arch: Arch) => {
    const firmware = arch === "arm64" ? "uefi" : resolved.firmware;
    const files = resolved.uefiFirmware[arch];
    return {
      arch: arch === "arm64" ? ("aarch64" as const) : ("x86_64" as const),
      firmware,
      ...(firmware === "uefi" && files && { uefiFirmware: files }),
    };
  };
  const clusters = new PerCluster<KvmClusterState>("kvm");
  const lib = { uri: resolved.uri };

  return {
    name: "kvm",
    nodeCidr: resolved.cidr.text,
    validate(cluster) {
      if (cluster.controlPlaneCount !== 1) {
        throw new MinosError(
          "controlPlane.count",
          cluster.controlPlaneCount,
          "use 1 on kvm: the endpoint is the control-plane node's own address",
        );
      }
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
        if (g.role === "worker" && g.maxCount !== g.count) {
          throw new MinosError(
            `nodePools.${g.pool}.maxCount`,
            g.maxCount,
            "kvm pools have a fixed size: leave minCount and maxCount unset",
          );
        }
      }
      // Addresses: a cidr too small for the workers is refused here too.
      planNodes(resolved.cidr, cluster.groups);
    },
    network(cluster, parent) {
      const nodes = planNodes(resolved.cidr, cluster.groups);
      const hosts = [...nodes.values()].flat().map((n) => ({ mac: n.mac, ip: n.ip, name: n.name }));
      const hash = stackHash(cluster.name);
      const network = new Network(
        `${cluster.name}-net`,
        { ...lib, name: `minos-${cluster.name}-${hash}`, cidr: resolved.cidr.text, hosts },
        { parent, ignoreChanges: ["name"] },
      );
      const controlPlane = [...nodes.values()].flat()[0] as KvmNode;
      const platformNetwork: PlatformNetwork = {
        endpoint: { host: pulumi.output(controlPlane.ip), port: cluster.apiPort },
        certSans: pulumi.output([controlPlane.name]),
        // The endpoint is the control-plane domain itself, on this network.
        apiPath: [network],
      };
      return clusters.set(platformNetwork, { network, hash, nodes, bases: new Map() });
    },

    machines(request, parent) {
      const state = clusters.get(request);
      const image = request.image as KvmImageRef;
      if (image.platform !== "kvm")
        throw new MinosError("image", image.platform, "the OS gave no disk image for kvm");
      const base = once(
        state.bases,
        image,
        () =>
          new BaseImage(
            `${request.cluster}-base-${state.bases.size}`,
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
      // A NodeGroup's pool comes after the network: its nodes take DHCP addresses.
      const fixed = state.nodes.get(request.name);
      const planned: { name: string; mac: string }[] = fixed ?? lateNodes(request);

      const domains = planned.slice(0, request.count).map((node) => {
        const named = `${node.name}-${state.hash}`;
        const keepName = { parent, ignoreChanges: ["name"] };
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
          keepName,
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
            ...firmwareFor(request.arch),
            disks,
            network: { name: state.network.name, mac: node.mac },
            ...(firstBoot !== undefined && { firstBoot }),
            autostart: true,
          },
          // First boot ran with the payload it had, and the disk keeps what it
          // did: a new payload would only recreate and reboot the VM (as on
          // AWS and GCP, where control-plane instances ignore it too).
          { parent, ignoreChanges: ["name", "firstBoot"] },
        );
      });
      // The cluster's own nodes have fixed addresses, workers' too.
      return {
        resources: domains,
        ...(fixed && { privateIps: pulumi.output(fixed.slice(0, request.count).map((n) => n.ip)) }),
      };
    },
  };
}
