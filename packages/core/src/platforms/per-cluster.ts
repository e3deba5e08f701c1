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

/** One value per key, made on first use: one image lookup per cluster and image. */
export function once<V>(cache: Map<string, V>, key: unknown, make: () => V): V {
  const id = JSON.stringify(key);
  const existing = cache.get(id);
  if (existing !== undefined) return existing;
  const made = make();
  cache.set(id, made);
  return made;
}
