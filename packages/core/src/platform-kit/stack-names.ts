import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/**
 * Eight hex digits of SHA-256 over project, stack and cluster name: the same
 * on every `pulumi up` of one stack, different in another stack of the same
 * program (or another program's cluster of the same name).
 */
export function stackHash(cluster: string): string {
  return createHash("sha256")
    .update(`${pulumi.getProject()}/${pulumi.getStack()}/${cluster}`)
    .digest("hex")
    .slice(0, 8);
}

/**
 * A physical name for something whose name must be unique in an account,
 * project or host, and that minos names itself: `make(cluster, hash)` with the
 * stack hash, the cluster name cut (never below one character, never ending
 * in `-`) until the whole fits `maxLength`. The hash covers the full cluster
 * name, so cut names stay distinct.
 */
export function stackUniqueName(
  cluster: string,
  maxLength: number,
  make: (cluster: string, hash: string) => string,
): string {
  const hash = stackHash(cluster);
  for (let keep = cluster.length; keep >= 1; keep--) {
    const name = make(cluster.slice(0, keep).replace(/-+$/, ""), hash);
    if (name.length <= maxLength) return name;
  }
  throw new Error(`minos: ${make(cluster, hash)} cannot be cut to ${maxLength} characters`);
}
