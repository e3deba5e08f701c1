import { MinosError, parseKubernetesVersion } from "@minos/core";

/** The Talos release minos renders for by default (the 1.13 line). */
export const DEFAULT_TALOS_VERSION = "1.13.3";
/**
 * Talos minors whose single-document v1alpha1 machine config minos renders:
 * 1.14 splits it into several documents.
 */
export const TALOS_MINORS = [13] as const;
/** Kubernetes minors Talos 1.13 runs (its support matrix: the newest and five before it). */
export const TALOS_KUBERNETES_MINORS = { min: 31, max: 36 } as const;
/** The Kubernetes a TalosCluster gets when none is asked for. */
export const DEFAULT_TALOS_KUBERNETES_VERSION = "1.36.0";

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

/** Checks that Talos runs the cluster's Kubernetes minor. */
export function validateKubernetesForTalos(kubernetesVersion: string, talosVersion: string): void {
  const { minor } = parseKubernetesVersion("kubernetesVersion", kubernetesVersion);
  const { min, max } = TALOS_KUBERNETES_MINORS;
  if (minor < min || minor > max)
    throw new MinosError(
      "kubernetesVersion",
      kubernetesVersion,
      `Talos ${talosVersion} runs Kubernetes 1.${min} to 1.${max}; use e.g. "${DEFAULT_TALOS_KUBERNETES_VERSION}"`,
    );
}
