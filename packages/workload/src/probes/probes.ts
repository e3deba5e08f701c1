import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Manifest } from "./manifest.js";
import { probeObjects } from "./probe-objects.js";
import type { ProbeSettings, ResolvedProbeSettings } from "./settings.js";
import { resolveProbeSettings } from "./settings.js";

/** Arguments of `Probes`: the cluster to probe, and how much each probe does. */
export interface ProbesArgs {
  /** The cluster's Kubernetes provider (a minos cluster's `provider`, which waits for its nodes). */
  provider: k8s.Provider;
  /** How much each probe does: the same on every cluster compared. */
  settings: ProbeSettings;
}

/** Makes one probe object through the cluster's provider. */
function make(
  name: string,
  m: Manifest,
  opts: pulumi.CustomResourceOptions,
): pulumi.CustomResource {
  const args = { metadata: m.metadata, spec: m.spec } as never;
  switch (m.kind) {
    case "Namespace":
      return new k8s.core.v1.Namespace(name, { metadata: m.metadata }, opts);
    case "Service":
      return new k8s.core.v1.Service(name, args, opts);
    case "Job":
      return new k8s.batch.v1.Job(name, args, opts);
    default:
      throw new Error(`minos probes: no constructor for kind ${m.kind}`);
  }
}

/**
 * The probes' objects in one cluster, made through its provider: a
 * namespace, a suspended Job per probe (and the network probe's Services),
 * each deleted with the stack. Nothing runs until the collector resumes the
 * Jobs one probe at a time.
 */
export class Probes extends pulumi.ComponentResource {
  /** The settings, defaults applied. */
  readonly settings: ResolvedProbeSettings;
  /** The namespace, then every probe object, as made. */
  readonly objects: pulumi.CustomResource[];

  constructor(name: string, args: ProbesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("minos:workload:Probes", name, {}, opts);
    this.settings = resolveProbeSettings(args.settings);
    const [namespace, ...rest] = probeObjects(this.settings);
    if (!namespace) throw new Error("minos probes: no namespace");
    const ns = make(`${name}-namespace`, namespace, { parent: this, provider: args.provider });
    this.objects = [
      ns,
      ...rest.map((m) =>
        make(`${name}-${m.kind.toLowerCase()}-${m.metadata.name}`, m, {
          parent: this,
          provider: args.provider,
          dependsOn: [ns],
        }),
      ),
    ];
    this.registerOutputs({ settings: this.settings });
  }
}
