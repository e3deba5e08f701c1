import type { Manifest } from "../probes/manifest.js";
import type { PodJson } from "../probes/parse/pod-times.js";
import { podTrouble } from "../probes/parse/pod-times.js";
import type { Clock } from "./jobs.js";
import { getJob, jobEnd, jobPods, pause, resetJob, resumeJob } from "./jobs.js";
import type { KubeApi } from "./kube-api.js";

/** One probe's run: the Jobs resumed together, the one whose end ends it, and how long it may take. */
export interface Step {
  /** Every Job of the step, by manifest (an iperf3 server with its client). */
  jobs: Manifest[];
  /** The Job whose pods are read and whose end ends the step. */
  main: string;
  /** Seconds before the step is a timeout (the Job's own deadline plus a grace). */
  timeoutSeconds: number;
  /** Ends the step early: pod start's pods run until stopped, so it ends once they are Ready. */
  until?: (pods: PodJson[]) => boolean;
}

/** How a step went: its main Job's pods, and why it failed, if it did. */
export interface StepOutcome {
  pods: PodJson[];
  failed?: string;
  seconds: number;
}

const why = (pods: PodJson[]) => {
  const troubles = pods.map(podTrouble).filter((t): t is string => t !== undefined);
  return troubles.length > 0
    ? `; ${troubles.slice(0, 3).join("; ")}`
    : pods.length === 0
      ? "; no pod was made"
      : "";
};

/**
 * Runs one step: every Job put back as the stack made it, resumed, then
 * watched until the main Job completes or fails, `until` holds, or the
 * step's time is up. Never throws for the probe's own failure; the API
 * failing does throw, and the collector records that as the probe's result.
 */
export async function runStep(api: KubeApi, step: Step, clock: Clock): Promise<StepOutcome> {
  const ns = step.jobs[0]?.metadata.namespace ?? "default";
  for (const m of step.jobs) await resetJob(api, m, clock);
  const started = Date.now();
  const elapsed = () => Math.round((Date.now() - started) / 100) / 10;
  for (const m of step.jobs) await resumeJob(api, ns, m.metadata.name);
  for (;;) {
    const end = jobEnd(await getJob(api, ns, step.main));
    const pods = await jobPods(api, ns, step.main);
    if (end.done)
      return end.failed
        ? { pods, seconds: elapsed(), failed: `Job ${step.main} failed: ${end.failed}${why(pods)}` }
        : { pods, seconds: elapsed() };
    if (step.until?.(pods)) return { pods, seconds: elapsed() };
    if (elapsed() + clock.intervalSeconds > step.timeoutSeconds)
      return { pods, seconds: elapsed(), failed: `timed out after ${elapsed()} s${why(pods)}` };
    await pause(clock);
  }
}

/** Puts a step's Jobs back as the stack made them, stopping what still runs; a failure is only logged. */
export async function cleanUp(
  api: KubeApi,
  step: Step,
  clock: Clock,
  log: (message: string) => void,
): Promise<void> {
  for (const m of step.jobs)
    try {
      await resetJob(api, m, clock);
    } catch (e) {
      log(`could not reset the probe Job ${m.metadata.name}: ${(e as Error).message}`);
    }
}
