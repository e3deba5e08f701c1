import type { ProbeOutcome } from "./plan.js";

/** An `ok` result with its samples. */
export const ok = (probe: string, samples: number[]): ProbeOutcome => ({
  probe,
  status: "ok",
  samples,
});

/** A failed result: the samples taken before it failed, and why. */
export const failed = (probe: string, samples: number[], reason: string): ProbeOutcome => ({
  probe,
  status: "failed",
  samples,
  reason,
});

/** `ok` with the samples when there are `want` and nothing failed; otherwise failed, samples kept. */
export const outcome = (probe: string, samples: number[], want: number, failure?: string) =>
  failure === undefined && samples.length >= want && samples.length > 0
    ? ok(probe, samples)
    : failed(probe, samples, failure ?? `${samples.length} of ${want} samples`);
