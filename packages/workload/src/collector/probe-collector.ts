import type { ComparisonResult } from "@minos/core";
import { dynamicProviderShim, MinosError } from "@minos/core";
import * as pulumi from "@pulumi/pulumi";
import type { LbVolumeParts } from "../probes/lb-volume.js";
import { lbVolumeObjects, resolveLbVolumeParts } from "../probes/lb-volume.js";
import type { Posture } from "../probes/parse/posture.js";
import { probeObjects } from "../probes/probe-objects.js";
import type { Probes } from "../probes/probes.js";
import { kubeconfigTarget } from "./kubeconfig-target.js";
import type { CollectorPlan } from "./plan.js";

/** Arguments of a ProbeCollector. */
export interface ProbeCollectorArgs {
  /** The cluster's name in the comparison document (`flatcar`). */
  cluster: string;
  /** The cluster's admin kubeconfig (a minos cluster's `kubeconfig`; secret). */
  kubeconfig: pulumi.Input<string>;
  /** The probes' objects in that cluster: the collector runs them, after they exist. */
  probes: Probes;
  /**
   * The run. The probes run when the collector is made and again only when
   * this changes (`pulumi config set runId 2`), never on an unrelated `pulumi up`.
   */
  runId: string;
  /**
   * What the cluster took from its platform (a minos cluster's
   * `platformServices`): the load balancer and volume probe times only the
   * parts it has; a part it lacks is a failed result saying so.
   */
  services: LbVolumeParts;
  /** Seconds between Summary reads. Default 10. */
  summaryIntervalSeconds?: number;
  /** Seconds the collector waits past a probe's deadline before calling it a timeout. Default 30. */
  graceSeconds?: number;
  /** Seconds between looks at a running probe. Default 2. */
  intervalSeconds?: number;
}

/** The serialized provider: it loads this package's own in the provider process. */
export const collectorShim = dynamicProviderShim("@minos/workload/providers", "probeCollector", {
  from: __dirname,
});

/**
 * Runs a cluster's probes, one after another, through its API (resumes each
 * suspended Job, waits for it, reads pods' timestamps, the kubelet's events
 * and logs, the kubelets' Summary API and the nodes; then makes, times and
 * deletes a claim, a pod and a `LoadBalancer` Service) and records every
 * sample as the comparison document's results. A probe that fails is a
 * failed result with its reason, never a failed `pulumi up`.
 */
export class ProbeCollector extends pulumi.dynamic.Resource {
  /** One result per probe, every sample kept. */
  declare readonly results: pulumi.Output<ComparisonResult[]>;
  /** What the host posture pods reported, per node. */
  declare readonly posture: pulumi.Output<Posture[]>;
  /** When the run started (ISO 8601 UTC). */
  declare readonly startedAt: pulumi.Output<string>;

  constructor(name: string, args: ProbeCollectorArgs, opts?: pulumi.CustomResourceOptions) {
    if (!/^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/.test(args.runId))
      throw new MinosError("runId", args.runId, "give 1-63 letters, digits, '-', '_' or '.'");
    const s = args.probes.settings;
    const parts = resolveLbVolumeParts(args.services);
    const plan: CollectorPlan = {
      namespace: s.namespace,
      jobs: probeObjects(s).filter((m) => m.kind === "Job"),
      pods: s.pods,
      nodes: s.nodes,
      summaryReads: s.summaryReads,
      summaryIntervalSeconds: args.summaryIntervalSeconds ?? 10,
      timeoutSeconds: s.timeoutSeconds,
      graceSeconds: args.graceSeconds ?? 30,
      skipNodesLabelled: s.skipNodesLabelled,
      lbVolume: { ...parts, rounds: s.lbVolumeRounds, objects: lbVolumeObjects(s, parts) },
    };
    const target = pulumi.secret(pulumi.output(args.kubeconfig).apply(kubeconfigTarget));
    super(
      collectorShim,
      name,
      {
        cluster: args.cluster,
        runId: args.runId,
        plan,
        intervalSeconds: args.intervalSeconds ?? 2,
        endpoint: pulumi.unsecret(target.endpoint),
        caCertPem: pulumi.unsecret(target.caCertPem),
        clientCertPem: target.clientCertPem,
        clientKeyPem: target.clientKeyPem,
        startedAt: undefined,
        seconds: undefined,
        results: undefined,
        posture: undefined,
      },
      {
        ...opts,
        dependsOn: [args.probes, ...pulumiArray(opts?.dependsOn)],
        additionalSecretOutputs: ["clientKeyPem", "clientCertPem"],
      },
      "minos",
      "ProbeCollector",
    );
  }
}

const pulumiArray = (
  d: pulumi.CustomResourceOptions["dependsOn"],
): pulumi.Input<pulumi.Resource>[] =>
  d === undefined ? [] : Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
