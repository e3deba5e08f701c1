import { MinosError } from "../errors.js";
import { perProgram } from "./per-program.js";

/**
 * Records a cluster's name, refusing one this program already gave another
 * cluster (`perProgram`: clusters made anywhere in one program meet there).
 * Names make the cloud's physical names (load balancers, buckets, roles,
 * libvirt objects) and children's URNs: the engine would refuse the second
 * only once its resources were being registered, and a cloud a name clash
 * across OSes only at apply. Call it last, once the cluster is otherwise
 * valid.
 */
export function claimClusterName(name: string, type: string): void {
  const names = perProgram<string>("cluster names");
  const earlier = names.get(name);
  if (earlier !== undefined)
    throw new MinosError(
      "name",
      name,
      `this program already has a cluster of that name (a ${earlier}); give each cluster its own`,
    );
  names.set(name, type);
}
