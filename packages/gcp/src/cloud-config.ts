import * as pulumi from "@pulumi/pulumi";

/** Where the controller finds a cluster's place on Google Cloud. */
export interface GceCloudConfigArgs {
  /** The project the cluster's instances, load balancers and disks are in. */
  project: pulumi.Input<string>;
  /** The cluster's network: a name, or a self link. */
  network: pulumi.Input<string>;
  /** The nodes' regional subnetwork: a name, or a self link. */
  subnetwork: pulumi.Input<string>;
  /** The network tag every node carries, which load balancers' firewall rules target. */
  nodeTag: pulumi.Input<string>;
}

/**
 * The `[global]` keys minos sets, each a field of `ConfigGlobal` in
 * cloud-provider-gcp's `providers/gce/gce.go` (gcfg tags). Not set:
 * credentials (`token-url`; the instance's own account, through the metadata
 * server, is the default), `local-zone` (read from metadata),
 * `network-project-id` (the cluster's network is in its project) and
 * `regional`, which only makes the controller list GKE clusters by region.
 */
export const CLOUD_CONFIG_KEYS = [
  "project-id",
  "network-name",
  "subnetwork-name",
  "node-tags",
  "multizone",
] as const;

/**
 * cloud-provider-gcp's cloud config (gcfg, an INI dialect): the project and
 * network it manages, the subnetwork an internal load balancer's address
 * comes from (a custom-mode network names no default), the tag its firewall
 * rules for load balancers and their health checks let traffic reach, and
 * `multizone`, so it looks for instances in every zone of the region rather
 * than only the one it runs in.
 */
export function gceCloudConfig(args: GceCloudConfigArgs): pulumi.Output<string> {
  return pulumi
    .all([args.project, args.network, args.subnetwork, args.nodeTag])
    .apply(([project, network, subnetwork, tag]) => {
      const values: Record<(typeof CLOUD_CONFIG_KEYS)[number], string> = {
        "project-id": project,
        "network-name": network,
        "subnetwork-name": subnetwork,
        "node-tags": tag,
        multizone: "true",
      };
      for (const [key, value] of Object.entries(values))
        if (!/^[^\s;#"\\]+$/.test(value))
          throw new Error(`cloud config ${key} ${JSON.stringify(value)} is no plain gcfg value`);
      return `[global]\n${CLOUD_CONFIG_KEYS.map((k) => `${k} = ${values[k]}\n`).join("")}`;
    });
}
