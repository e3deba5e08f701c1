import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/**
 * How many zones a cluster uses: every Google Cloud region has at least
 * three, and three is what a regional group spans when none are named.
 */
export const PINNED_ZONES = 3;

/**
 * The zones a cluster's machines go to: the region's first three by name,
 * every zone counted (not only those up). The list is pinned, because a
 * group's zones are fixed at creation (changing them replaces the group) and
 * because a regional group's fixed surge must be 0 or at least the zones it
 * spans: a known three lets that be checked before anything exists. Taking
 * zones by name, not by status, keeps the list, and so every machine, where
 * it is when a zone is briefly down.
 */
export function pinnedZones(region: string, parent: pulumi.Resource): pulumi.Output<string[]> {
  return gcp.compute
    .getZonesOutput({ region }, { parent })
    .names.apply((names) => [...names].sort().slice(0, PINNED_ZONES));
}
