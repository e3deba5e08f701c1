import { createHash } from "node:crypto";

/** A dynamic provider's serialized code, summarised: what a reader of a plan can use of it. */
export interface ProviderSummary {
  /**
   * `shim`: a few lines that load the provider from a package's entry (the
   * `module` named), so it runs whatever version the program installs;
   * `inline`: the provider's code serialized whole.
   */
  kind: "shim" | "inline";
  module?: string;
  bytes: number;
  sha256: string;
}

/**
 * Summarises the `__provider` input Pulumi gives every dynamic resource:
 * kilobytes of serialized JavaScript that name folders of the machine that
 * made the plan. Its size and hash still tell two plans' providers apart.
 */
export function summariseProvider(code: string): ProviderSummary {
  const module = /\bspecifier: "([^"]+)"/.exec(code)?.[1];
  return {
    kind: module ? "shim" : "inline",
    ...(module && { module }),
    bytes: Buffer.byteLength(code),
    sha256: createHash("sha256").update(code).digest("hex"),
  };
}

/** A resource's inputs with `__provider` summarised. */
export function withProviderSummary(inputs: Record<string, unknown>): Record<string, unknown> {
  const code = inputs.__provider;
  return typeof code === "string" ? { ...inputs, __provider: summariseProvider(code) } : inputs;
}
