import * as pulumi from "@pulumi/pulumi";
import { MinosError } from "../errors.js";

/**
 * The cluster names each program has used, by the program's connection to
 * the engine (its resource monitor; under mocks, each `setMocks` starts
 * another). Module-level on purpose, as address claims are: clusters made
 * anywhere in one program meet here.
 */
const programs = new WeakMap<object, Map<string, string>>();
const outsidePulumi = {};

/**
 * Records a cluster's name, refusing one this program already gave another
 * cluster. Names make the cloud's physical names (load balancers, buckets,
 * roles, libvirt objects) and children's URNs: the engine would refuse the
 * second only once its resources were being registered, and a cloud a
 * name clash across OSes only at apply. Call it last, once the cluster is
 * otherwise valid.
 */
export function claimClusterName(name: string, type: string): void {
  const program = pulumi.runtime.getMonitor() ?? outsidePulumi;
  let names = programs.get(program);
  if (!names) {
    names = new Map();
    programs.set(program, names);
  }
  const earlier = names.get(name);
  if (earlier !== undefined)
    throw new MinosError(
      "name",
      name,
      `this program already has a cluster of that name (a ${earlier}); give each cluster its own`,
    );
  names.set(name, type);
}
