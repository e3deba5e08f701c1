import type { MachinesRequest } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedAmi } from "./ami.js";

/** Where and with what any group's instances start: control plane or pool. */
export interface AwsPlacement {
  ami: ResolvedAmi;
  subnetIds: pulumi.Output<string[]>;
  publicIp: pulumi.Input<boolean>;
  securityGroupIds: pulumi.Input<string>[];
  /** Absent where the OS hands the payload over its own API (`machine-api`): no user-data at all. */
  userData: pulumi.Output<string> | undefined;
  defaultInstanceType?: string;
  hopLimit: 1 | 2;
}

/** The instance type of a group: its own, the platform default, or a 2-vCPU/4-GiB type. */
export function instanceType(
  request: MachinesRequest,
  platformDefault: string | undefined,
): string {
  return (
    request.machineType ??
    platformDefault ??
    (request.arch === "arm64" ? "t4g.medium" : "t3.medium")
  );
}

/** IMDSv2 only, with the hop limit the platform was given. */
export function metadataOptions(hopLimit: 1 | 2) {
  return {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: hopLimit,
    instanceMetadataTags: "disabled",
  };
}

/**
 * An encrypted gp3 root volume that goes with the instance, of the requested
 * size; or of the image's own size when the image keeps its data on a
 * separate volume (see `dataVolume`).
 */
export function rootVolume(request: MachinesRequest, ami?: ResolvedAmi) {
  return {
    volumeType: "gp3",
    ...(ami?.dataVolumeDevice === undefined && { volumeSize: request.diskGiB }),
    encrypted: true,
    deleteOnTermination: true,
  };
}

/** The image's separate data volume (Bottlerocket's), encrypted, of the requested size. */
export function dataVolume(request: MachinesRequest, ami: ResolvedAmi) {
  if (ami.dataVolumeDevice === undefined) return [];
  return [
    {
      deviceName: ami.dataVolumeDevice,
      ebs: {
        volumeType: "gp3",
        volumeSize: request.diskGiB,
        encrypted: "true",
        deleteOnTermination: "true",
      },
    },
  ];
}
