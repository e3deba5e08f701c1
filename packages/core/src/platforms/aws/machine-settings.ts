import type * as pulumi from "@pulumi/pulumi";
import type { MachinesRequest } from "../../contracts/platform.js";
import type { ResolvedAmi } from "./ami.js";

/** Where and with what any group's instances start: control plane or pool. */
export interface AwsPlacement {
  ami: ResolvedAmi;
  subnetIds: pulumi.Output<string[]>;
  publicIp: boolean;
  securityGroupIds: pulumi.Input<string>[];
  userData: pulumi.Output<string>;
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

/** An encrypted gp3 root volume that goes with the instance. */
export function rootVolume(request: MachinesRequest) {
  return {
    volumeType: "gp3",
    volumeSize: request.diskGiB,
    encrypted: true,
    deleteOnTermination: true,
  };
}
