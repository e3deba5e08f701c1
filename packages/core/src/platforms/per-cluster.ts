import * as pulumi from "@pulumi/pulumi";
import type { MachinesRequest, PlatformNetwork } from "../contracts/platform.js";

/**
 * What a platform keeps between `network()` and `machines()` for each
 * cluster it serves, keyed by the network it returned, so one platform value
 * can serve several clusters.
 */
export class PerCluster<T> {
  private readonly states = new WeakMap<PlatformNetwork, T>();

  constructor(private readonly platform: string) {}

  /** Remembers a cluster's state; returns its network. */
  set(network: PlatformNetwork, state: T): PlatformNetwork {
    this.states.set(network, state);
    return network;
  }

  /** The state of the cluster a request belongs to. */
  get(request: MachinesRequest): T {
    const state = this.states.get(request.network);
    if (!state)
      throw new Error(
        `minos: ${this.platform} platform was asked for machines of ${request.name} on a network it did not make`,
      );
    return state;
  }
}

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
