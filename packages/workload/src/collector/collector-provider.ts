import type { ComparisonResult, ReadyzTarget } from "@minos/core";
import { diffProperties } from "@minos/core";
import type * as pulumi from "@pulumi/pulumi";
import type { Posture } from "../probes/parse/posture.js";
import { kubeApi } from "./kube-api.js";
import type { CollectorPlan } from "./plan.js";
import { runProbes } from "./run-probes.js";

/** What a ProbeCollector is given. */
export interface CollectorInputs extends ReadyzTarget {
  /** The cluster's name in the comparison document; every result carries it. */
  cluster: string;
  /** The run: a new value runs every probe again; nothing else does. */
  runId: string;
  /** What to run, from the probes' settings. */
  plan: CollectorPlan;
  /** Seconds between looks at a running probe. */
  intervalSeconds: number;
}

/** What it records: every result of the run, and the posture the nodes reported. */
export interface CollectorOutputs extends CollectorInputs {
  /** When the run started, ISO 8601 UTC. */
  startedAt: string;
  /** Seconds the whole run took. */
  seconds: number;
  results: ComparisonResult[];
  posture: Posture[];
}

/**
 * Runs the probes when made, and again only when `runId` changes (a
 * replacement): a `pulumi up` that changes nothing else keeps the results
 * it recorded. A probe's failure is a result; only a cluster whose API
 * cannot be reached at all leaves every result failed, with that reason.
 */
export const collectorProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: CollectorInputs) {
    const { log }: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
    const startedAt = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const t0 = Date.now();
    const collected = await runProbes(
      kubeApi(inputs),
      inputs.plan,
      { intervalSeconds: inputs.intervalSeconds },
      (m) => log.info(`probes of ${inputs.cluster}: ${m}`),
    );
    const outs: CollectorOutputs = {
      ...inputs,
      startedAt,
      seconds: Math.round((Date.now() - t0) / 100) / 10,
      results: collected.results.map((r) => ({ ...r, cluster: inputs.cluster })),
      posture: collected.posture,
    };
    return { id: `${inputs.cluster}-${inputs.runId}`, outs };
  },

  async diff(_id: string, olds: CollectorOutputs, news: CollectorInputs) {
    return diffProperties<CollectorInputs>(olds, news, {
      runId: "replace",
      cluster: "update",
      plan: "update",
      intervalSeconds: "update",
      endpoint: "update",
      caCertPem: "update",
      clientCertPem: "update",
      clientKeyPem: "update",
    });
  },

  // Anything but the run changed: recorded, the results kept (under the cluster's new name).
  async update(_id: string, olds: CollectorOutputs, news: CollectorInputs) {
    const outs: CollectorOutputs = {
      ...news,
      startedAt: olds.startedAt,
      seconds: olds.seconds,
      results: olds.results.map((r) => ({ ...r, cluster: news.cluster })),
      posture: olds.posture,
    };
    return { outs };
  },
};
