import type { KubernetesSupport } from "@minos/core/render";
import { MinosError } from "@minos/core/render";

/**
 * The Talos release minos renders for by default: v1.13.9, the newest 1.13
 * patch among siderolabs/talos tags (2026-08-18).
 */
export const DEFAULT_TALOS_VERSION = "1.13.9";
/**
 * Talos minors whose single-document v1alpha1 machine config minos renders:
 * 1.14 splits it into several documents.
 */
export const TALOS_MINORS = [13] as const;
/**
 * Kubernetes minors Talos 1.13 runs, and the version a TalosCluster gets
 * when none is asked for: siderolabs/talos at v1.13.9,
 * `pkg/machinery/compatibility/talos113/talos113.go` (Kubernetes 1.31.0 to
 * 1.36.99) and `pkg/machinery/constants/constants.go`
 * (`DefaultKubernetesVersion = "1.36.3"`).
 */
export const TALOS_KUBERNETES: KubernetesSupport = {
  minMinor: 31,
  maxMinor: 36,
  defaultVersion: "1.36.3",
  source: "what Talos 1.13 runs",
};

/** Checks a Talos version (`1.13.9`, no `v`); returns it. */
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
