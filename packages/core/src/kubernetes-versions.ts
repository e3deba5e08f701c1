import { MinosError } from "./errors.js";

/** Oldest Kubernetes minor minos renders for: the first whose kubeadm reads `v1beta4`. */
export const MIN_KUBERNETES_MINOR = 31;
/** Newest Kubernetes minor minos has been checked against. */
export const MAX_KUBERNETES_MINOR = 37;
/** The version a cluster gets when none is asked for. */
export const DEFAULT_KUBERNETES_VERSION = "1.37.1";

/** A parsed `major.minor.patch` Kubernetes release. */
export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** `1.37.1` */
  readonly text: string;
}

const VERSION = /^(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})\.(0|[1-9]\d{0,3})$/;

/**
 * Parses and range-checks a Kubernetes version. A leading `v` is refused so one
 * spelling is used everywhere; image tags get it back where they need it.
 */
export function parseKubernetesVersion(argument: string, value: unknown): KubernetesVersion {
  const allowed = `use a release like "${DEFAULT_KUBERNETES_VERSION}" (major.minor.patch, no "v"), minor 1.${MIN_KUBERNETES_MINOR} to 1.${MAX_KUBERNETES_MINOR}`;
  const match = typeof value === "string" ? VERSION.exec(value) : null;
  if (!match) throw new MinosError(argument, value, allowed);
  const [major, minor, patch] = [match[1], match[2], match[3]].map(Number) as [
    number,
    number,
    number,
  ];
  if (major !== 1 || minor < MIN_KUBERNETES_MINOR || minor > MAX_KUBERNETES_MINOR) {
    throw new MinosError(argument, value, allowed);
  }
  return { major, minor, patch, text: value as string };
}
