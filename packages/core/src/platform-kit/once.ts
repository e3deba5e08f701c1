import * as pulumi from "@pulumi/pulumi";

/**
 * One value per key, made on first use: one image lookup per cluster and
 * image. Plain keys compare by content; a deploy-time value inside a key
 * (a Pulumi Output) compares by identity, since its content is not known yet.
 */
export function once<V>(cache: Map<string, V>, key: unknown, make: () => V): V {
  const id = keyOf(key);
  const existing = cache.get(id);
  if (existing !== undefined) return existing;
  const made = make();
  cache.set(id, made);
  return made;
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function keyOf(key: unknown): string {
  return JSON.stringify(key, (_, value: unknown) => {
    if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) return value;
    let id = identities.get(value as object);
    if (id === undefined) {
      id = nextIdentity++;
      identities.set(value as object, id);
    }
    return `deploy-time value #${id}`;
  });
}
