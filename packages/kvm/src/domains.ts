import type { Arch, MachinesRequest, PlannedGroup } from "@minos/core";
import { imageFor, MinosError, once, plannedGroup, stackHash } from "@minos/core";
import type { DomainInputs } from "@minos/libvirt";
import { BaseImage, ConfigDisk, Disk, Domain } from "@minos/libvirt";
import * as pulumi from "@pulumi/pulumi";
import { workerGeneration } from "./generation.js";
import { hostName } from "./host-name.js";
import { macFor } from "./identity.js";
import type { ResolvedKvm } from "./validate.js";
import { parseMachineType } from "./validate.js";

/** How long a new worker gets to boot and take an address before its roll stops. */
export const WORKER_BOOT_SECONDS = 600;

/** A node's name, and the MAC its fixed address is reserved for (control planes). */
export interface NodeSlot {
  name: string;
  mac?: string;
}

/**
 * Makes a site's domains: the OS image downloaded and verified once per
 * image, and per node a qcow2 overlay, the first-boot payload (fw_cfg or a
 * cidata ISO) and the domain on the site's network.
 *
 * Control-plane nodes are pets, as on AWS and GCP: a fixed name, MAC and
 * address, and nothing in a new payload or image replaces them. Workers
 * roll, as cloud pools do: each machine's names end in its generation (its
 * payload, size, disk, and image unless the OS keeps its own), so a change
 * makes new domains, disks and seeds, each created before the old one is
 * deleted. New workers come one at a time, each once the one before has
 * booted and taken a DHCP lease (its reported address); the old ones go at
 * the end of the update. They take names from SMBIOS (systemd's
 * `system.hostname` credential) or their seed, and addresses from the
 * network's DHCP range, since old and new run side by side.
 */
export function kvmDomains(
  resolved: ResolvedKvm,
  name: string,
  planned: readonly PlannedGroup[],
  network: pulumi.Input<string>,
  parent: pulumi.Resource,
) {
  const lib = { uri: resolved.uri };
  const hash = stackHash(name);
  const bases = new Map<string, BaseImage>();
  return (request: MachinesRequest, nodes: readonly NodeSlot[]): Domain[] => {
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
    const machineType = request.machineType ?? resolved.defaultMachineType;
    const size = parseMachineType(`${request.pool} machineType`, machineType);
    const rolls = request.role === "worker";
    const generation = rolls ? workerGeneration(request, machineType, image.url) : undefined;
    const made: Domain[] = [];
    for (const node of nodes.slice(0, request.count)) {
      // A worker's host and libvirt names carry its generation; a control plane's never change.
      const host: pulumi.Output<string> = generation
        ? generation.apply((g) => hostName(node.name, g))
        : pulumi.output(hostName(node.name));
      const named = pulumi.interpolate`${host}-${hash}`;
      // What keeps a value from the first boot: a worker's next generation is a new machine instead.
      const kept = (...props: string[]) => (rolls ? [] : ["name", ...props]);
      // An OS that updates itself keeps the image its pool was made with.
      const keptImage = request.imageUpdates === "keep" || !rolls ? ["basePath", "baseFormat"] : [];
      const disk = new Disk(
        node.name,
        {
          ...lib,
          pool: resolved.pool,
          name: pulumi.interpolate`${named}.qcow2`,
          basePath: base.path,
          baseFormat: base.format,
          sizeGiB: request.diskGiB,
        },
        { parent, ignoreChanges: [...kept(), ...keptImage] },
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
              name: pulumi.interpolate`${named}-seed.iso`,
              userData: request.payload,
              metaData: pulumi.interpolate`instance-id: ${host}\nlocal-hostname: ${host}\n`,
            },
            // Read at first boot only, like the domain's payload below.
            { parent, ignoreChanges: kept("userData", "metaData") },
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
      const previous = made[made.length - 1];
      made.push(
        new Domain(
          node.name,
          {
            ...lib,
            name: named,
            ...size,
            ...firmwareFor(resolved, request.arch),
            disks,
            network: {
              name: network,
              mac: node.mac ?? host.apply(macFor),
            },
            ...(firstBoot !== undefined && { firstBoot }),
            ...(rolls && { hostname: host, waitForAddress: WORKER_BOOT_SECONDS }),
            autostart: true,
          },
          // First boot ran with the payload it had, and the disk keeps what
          // it did: a control plane keeps running through a new payload (as
          // on AWS and GCP, where control-plane instances ignore it too).
          {
            parent,
            ignoreChanges: kept("firstBoot"),
            ...(rolls && previous && { dependsOn: [previous] }),
          },
        ),
      );
    }
    return made;
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
