import type { PlatformClusterInfo } from "@minos/core";
import {
  apiAllowedCidrs,
  MinosError,
  optionKeys,
  parseCidr,
  parseCidrList,
  refuseUnknownKeys,
} from "@minos/core";
import type { GcpExistingNetworkArgs, GcpNewNetworkArgs, GcpPlatformArgs } from "./args.js";
import { labelKey, labelValue } from "./labels.js";

/** GcpPlatformArgs with defaults applied and values checked. */
export interface ResolvedGcp {
  region: string;
  network:
    | { kind: "new"; cidr: string }
    | { kind: "existing"; network: string; subnetwork: string; cidr?: string };
  apiAllowedCidrs: string[];
  sshAllowedCidrs: string[];
  /** Absent: by the cluster's arch (`defaultMachineType` in machine-arch.ts). */
  defaultMachineType?: string;
  workerExternalIps: boolean;
}

const GCP_KEYS = optionKeys<GcpPlatformArgs>({
  region: true,
  network: true,
  apiAllowedCidrs: true,
  sshAllowedCidrs: true,
  defaultMachineType: true,
  workerExternalIps: true,
});
const EXISTING_NETWORK_KEYS = optionKeys<GcpExistingNetworkArgs>({
  network: true,
  subnetwork: true,
  cidr: true,
});

const REGION = /^[a-z]+-[a-z]+\d+$/;
const MACHINE_TYPE = /^[a-z][a-z0-9]*-[a-z0-9-]+$/;
const RESOURCE =
  /^(https:\/\/www\.googleapis\.com\/compute\/v1\/)?(projects\/[a-z][-a-z0-9]*\/)?((global|regions\/[a-z0-9-]+)\/(networks|subnetworks)\/)?[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Checks GCP platform arguments; called by `gcp()` before anything exists. */
export function resolveGcpArgs(args: GcpPlatformArgs): ResolvedGcp {
  if (args && typeof args === "object" && "project" in args)
    throw new MinosError(
      "project",
      (args as { project: unknown }).project,
      "gcp() takes no project: pass a gcp.Provider for it through the cluster's opts.providers",
    );
  if (args && typeof args === "object") refuseUnknownKeys("", args, GCP_KEYS);
  if (!args || typeof args.region !== "string" || !REGION.test(args.region)) {
    throw new MinosError("region", args?.region, "use a GCP region like europe-west1");
  }
  const n = args.network ?? {};
  if (typeof n !== "object" || n === null || Array.isArray(n))
    throw new MinosError(
      "network",
      n,
      "use { cidr? } for a new network or { network, subnetwork, cidr? } for yours",
    );
  let network: ResolvedGcp["network"];
  if ("network" in n || "subnetwork" in n) {
    refuseUnknownKeys("network", n, EXISTING_NETWORK_KEYS);
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
    refuseUnknownKeys("network", n, ["cidr"]);
    network = {
      kind: "new",
      cidr: parseCidr("network.cidr", (n as GcpNewNetworkArgs).cidr ?? "10.0.0.0/20", 16, 28).text,
    };
  }
  const { defaultMachineType } = args;
  if (
    defaultMachineType !== undefined &&
    (typeof defaultMachineType !== "string" || !MACHINE_TYPE.test(defaultMachineType))
  )
    throw new MinosError(
      "defaultMachineType",
      defaultMachineType,
      "use a GCE machine type like e2-standard-2",
    );
  if (args.workerExternalIps !== undefined && typeof args.workerExternalIps !== "boolean")
    throw new MinosError("workerExternalIps", args.workerExternalIps, "use true or false");
  return {
    region: args.region,
    network,
    apiAllowedCidrs: apiAllowedCidrs(args.apiAllowedCidrs),
    sshAllowedCidrs: parseCidrList("sshAllowedCidrs", args.sshAllowedCidrs ?? []).map(
      (c) => c.text,
    ),
    ...(defaultMachineType !== undefined && { defaultMachineType }),
    workerExternalIps: args.workerExternalIps ?? false,
  };
}

/** Labels minos puts on every GCP resource itself. */
const OWN_LABELS = ["minos-cluster", "minos-pool"];

/**
 * GCE takes 64 labels on a resource, each key and value at most 63
 * characters; minos folds tags into labels (`clusterLabels`) and adds its
 * own. Refuses what folding would cut short, merge or overwrite.
 */
export function checkGcpLabels(cluster: PlatformClusterInfo): void {
  const tags = Object.entries(cluster.tags);
  if (tags.length > 64 - OWN_LABELS.length)
    throw new MinosError(
      "tags",
      `${tags.length} tags`,
      `use at most ${64 - OWN_LABELS.length}: GCE takes 64 labels and minos adds ${OWN_LABELS.length}`,
    );
  const seen = new Map<string, string>();
  for (const [key, value] of tags) {
    const label = labelKey(key);
    if (label.length > 63 || labelValue(value).length > 63)
      throw new MinosError(
        `tags.${key}`,
        value,
        "use keys and values of at most 63 characters: GCE labels take no more",
      );
    if (OWN_LABELS.includes(label))
      throw new MinosError(`tags.${key}`, value, `use another key: minos sets ${label} itself`);
    const earlier = seen.get(label);
    if (earlier !== undefined)
      throw new MinosError(
        `tags.${key}`,
        value,
        `use another key: it makes the same GCP label (${label}) as tag ${earlier}`,
      );
    seen.set(label, key);
  }
}

/**
 * Cloud Storage's reserved words: a bucket name may not begin with `goog`
 * or contain `google` or a close misspelling (its naming guidelines). The
 * payload bucket's name begins with the cluster's.
 */
export function checkBucketSafeName(name: string): void {
  if (/^goog|google|g00gle|go0gle|g0ogle/.test(name))
    throw new MinosError(
      "name",
      name,
      "on gcp it begins the name of the cluster's Cloud Storage bucket, which may not begin with goog or contain google; choose another",
    );
}
