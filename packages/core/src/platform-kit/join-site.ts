import * as pulumi from "@pulumi/pulumi";
import type { PayloadPointer } from "../contracts/image.js";
import type { PlatformJoinInfo, Site, SiteIds } from "../contracts/platform.js";
import { stackHash } from "./stack-names.js";

/**
 * A join site's reader of the cluster's site ids, one id at a time, typed as
 * the platform wrote them (maybe in another stack).
 */
export function siteId<T extends Record<keyof T, string | string[]>>(group: PlatformJoinInfo) {
  const ids = pulumi.output(group.ids) as pulumi.Output<SiteIds>;
  return {
    ids,
    id: <K extends keyof T>(key: K): pulumi.Output<T[K]> =>
      ids.apply((all) => (all as unknown as T)[key]),
  };
}

/** What a join site has of the API: nothing of its own (the cluster's site carries it). */
export function noApiPath(): Pick<Site, "endpoint" | "apiPath"> {
  return { endpoint: { host: pulumi.output(""), port: 0 }, apiPath: [] };
}

/**
 * Where a joining node group's pool keeps its payload in the cluster's
 * store: beside the cluster's own `worker/<pool>`, never on it whatever the
 * names, and with the stack hash, apart from other stacks' groups too. Under
 * `worker/`, which the cluster's worker role may read.
 */
export function joinedPayloadKey(group: string, pool: string): string {
  return `worker/node-groups/${group}-${stackHash(group)}/${pool}`;
}

/**
 * The node's pointer to a payload a platform stored at `url`
 * (`s3://bucket/key`), plain: it holds a location and a hash of the
 * payload, whose fresh private keys make the hash reveal nothing, and plain
 * user-data keeps previews readable.
 */
export function pointerTo(
  url: pulumi.Input<string>,
  payload: pulumi.Output<string>,
  pointer: PayloadPointer,
): pulumi.Output<string> {
  return pulumi.unsecret(pulumi.all([url, payload]).apply(([u, p]) => pointer(u, p)));
}
