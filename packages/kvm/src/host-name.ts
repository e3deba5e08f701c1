import { createHash } from "node:crypto";

/** A DNS label's limit, which a Linux host name (64) and Talos's hostname also hold. */
export const HOST_NAME_MAX = 63;

/**
 * A node's host name: `<base>-<generation>` for a worker, `<base>` for a
 * control plane, cut to 63 characters where a long cluster and pool name
 * would pass it. A cut name keeps six hex digits of the base's hash before
 * the generation, so two long names that share their first characters stay
 * apart, and the generation still ends it (alone changing with it).
 */
export function hostName(base: string, generation?: string): string {
  const whole = generation ? `${base}-${generation}` : base;
  if (whole.length <= HOST_NAME_MAX) return whole;
  // Of the base alone: a worker's next generation changes only its last part.
  const digest = createHash("sha256").update(base).digest("hex").slice(0, 6);
  const tail = generation ? `-${digest}-${generation}` : `-${digest}`;
  return `${base.slice(0, HOST_NAME_MAX - tail.length).replace(/-+$/, "")}${tail}`;
}
