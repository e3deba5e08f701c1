import { MinosError, parseCidr, parseCidrList } from "@minos/core";
import type { GcpExistingNetworkArgs, GcpNewNetworkArgs, GcpPlatformArgs } from "./args.js";

/** GcpPlatformArgs with defaults applied and values checked. */
export interface ResolvedGcp {
  region: string;
  network:
    | { kind: "new"; cidr: string }
    | { kind: "existing"; network: string; subnetwork: string; cidr?: string };
  apiAllowedCidrs: string[];
  sshAllowedCidrs: string[];
  defaultMachineType: string;
  workerExternalIps: boolean;
}

const REGION = /^[a-z]+-[a-z]+\d+$/;
const MACHINE_TYPE = /^[a-z][a-z0-9]*-[a-z0-9-]+$/;
const RESOURCE =
  /^(https:\/\/www\.googleapis\.com\/compute\/v1\/)?(projects\/[a-z][-a-z0-9]*\/)?((global|regions\/[a-z0-9-]+)\/(networks|subnetworks)\/)?[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Checks GCP platform arguments; called by `gcp()` before anything exists. */
export function resolveGcpArgs(args: GcpPlatformArgs): ResolvedGcp {
  if (!args || typeof args.region !== "string" || !REGION.test(args.region)) {
    throw new MinosError("region", args?.region, "use a GCP region like europe-west1");
  }
  const n = args.network ?? {};
  let network: ResolvedGcp["network"];
  if ("network" in n || "subnetwork" in n) {
    const e = n as GcpExistingNetworkArgs;
    for (const key of ["network", "subnetwork"] as const) {
      if (typeof e[key] !== "string" || !RESOURCE.test(e[key]))
        throw new MinosError(`network.${key}`, e[key], `use the ${key}'s name or self link`);
    }
    network = {
      kind: "existing",
      network: e.network,
      subnetwork: e.subnetwork,
      ...(e.cidr !== undefined && { cidr: parseCidr("network.cidr", e.cidr).text }),
    };
  } else {
    network = {
      kind: "new",
      cidr: parseCidr("network.cidr", (n as GcpNewNetworkArgs).cidr ?? "10.0.0.0/20", 16, 28).text,
    };
  }
  const defaultMachineType = args.defaultMachineType ?? "e2-standard-2";
  if (!MACHINE_TYPE.test(defaultMachineType))
    throw new MinosError(
      "defaultMachineType",
      defaultMachineType,
      "use a GCE machine type like e2-standard-2",
    );
  return {
    region: args.region,
    network,
    apiAllowedCidrs: parseCidrList("apiAllowedCidrs", args.apiAllowedCidrs ?? ["0.0.0.0/0"]).map(
      (c) => c.text,
    ),
    sshAllowedCidrs: parseCidrList("sshAllowedCidrs", args.sshAllowedCidrs ?? []).map(
      (c) => c.text,
    ),
    defaultMachineType,
    workerExternalIps: args.workerExternalIps ?? false,
  };
}
