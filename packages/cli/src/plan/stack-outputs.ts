import * as pulumi from "@pulumi/pulumi";

/**
 * A program's stack outputs (its module's exports), as plain JSON: every
 * Output and Promise resolved, a secret one as `"[secret]"`, a resource as
 * its URN. Functions and undefined values are left out, as Pulumi does.
 */
export async function stackOutputs(exports: unknown): Promise<Record<string, unknown>> {
  if (typeof exports !== "object" || exports === null) return {};
  const plain = await plainValue(exports, 0);
  return (typeof plain === "object" && plain !== null ? plain : {}) as Record<string, unknown>;
}

async function plainValue(value: unknown, depth: number): Promise<unknown> {
  if (depth > 32) return "[too deep]";
  if (pulumi.Output.isInstance(value)) {
    if (await pulumi.isSecret(value)) return "[secret]";
    const resolved = await new Promise<unknown>((r) => value.apply((v) => r(v)));
    return plainValue(resolved, depth + 1);
  }
  if (value instanceof Promise) return plainValue(await value, depth + 1);
  if (pulumi.Resource.isInstance(value)) return plainValue(value.urn, depth + 1);
  if (Array.isArray(value))
    return Promise.all(value.map((v) => plainValue(v, depth + 1).then((p) => p ?? null)));
  if (typeof value === "object" && value !== null) {
    const entries = await Promise.all(
      Object.entries(value)
        .filter(([k, v]) => typeof v !== "function" && k !== "__esModule")
        .map(async ([k, v]) => [k, await plainValue(v, depth + 1)] as const),
    );
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  return typeof value === "function" ? undefined : value;
}
