import { type KubernetesSupport, MinosError } from "@minos/core";

/** The Talos release minos renders for by default (the 1.13 line). */
export const DEFAULT_TALOS_VERSION = "1.13.3";
/**
 * Talos minors whose single-document v1alpha1 machine config minos renders:
 * 1.14 splits it into several documents.
 */
export const TALOS_MINORS = [13] as const;
/**
 * Kubernetes minors Talos 1.13 runs (its support matrix: the newest and five
 * before it), and the version a TalosCluster gets when none is asked for.
 */
export const TALOS_KUBERNETES: KubernetesSupport = {
  minMinor: 31,
  maxMinor: 36,
  defaultVersion: "1.36.0",
  source: "what Talos 1.13 runs",
};

/** Checks a Talos version (`1.13.3`, no `v`); returns it. */
export function validateTalosVersion(argument: string, value: unknown): string {
  const match = typeof value === "string" ? /^1\.(\d+)\.(\d+)$/.exec(value) : null;
  if (!match || !(TALOS_MINORS as readonly number[]).includes(Number(match[1])))
    throw new MinosError(
      argument,
      value,
      `use a Talos ${TALOS_MINORS.map((m) => `1.${m}`).join(" or ")} release like "${DEFAULT_TALOS_VERSION}" (no "v")`,
    );
  return value as string;
}
