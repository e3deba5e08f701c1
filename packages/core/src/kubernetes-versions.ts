import { MinosError } from "./errors.js";
import {
  DEFAULT_KUBERNETES_VERSION,
  MAX_KUBERNETES_MINOR,
  MIN_KUBERNETES_MINOR,
} from "./versions.js";

/**
 * The Kubernetes minors an OS runs and the version its clusters get by
 * default. An OS narrows minos' own range where its Kubernetes comes from
 * somewhere that builds only some minors (FCOS's sysexts, Talos's matrix).
 */
export interface KubernetesSupport {
  /** Oldest minor, e.g. 33 for 1.33. */
  readonly minMinor: number;
  /** Newest minor. */
  readonly maxMinor: number;
  /** `major.minor.patch` within the range. */
  readonly defaultVersion: string;
  /** Why the range is what it is, for the error a refused version gets. */
  readonly source?: string;
}

/** minos' own range, for an OS that declares none. */
export const KUBERNETES_SUPPORT: KubernetesSupport = {
  minMinor: MIN_KUBERNETES_MINOR,
  maxMinor: MAX_KUBERNETES_MINOR,
  defaultVersion: DEFAULT_KUBERNETES_VERSION,
};

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
 * Parses and range-checks a Kubernetes version, against minos' range or an
 * OS's narrower one. A leading `v` is refused so one spelling is used
 * everywhere; image tags get it back where they need it.
 */
export function parseKubernetesVersion(
  argument: string,
  value: unknown,
  support: KubernetesSupport = KUBERNETES_SUPPORT,
): KubernetesVersion {
  const { minMinor, maxMinor, defaultVersion, source } = support;
  const allowed =
    `use a release like "${defaultVersion}" (major.minor.patch, no "v"), minor 1.${minMinor} to 1.${maxMinor}` +
    (source ? ` (${source})` : "");
  const match = typeof value === "string" ? VERSION.exec(value) : null;
  if (!match) throw new MinosError(argument, value, allowed);
  const [major, minor, patch] = [match[1], match[2], match[3]].map(Number) as [
    number,
    number,
    number,
  ];
  if (major !== 1 || minor < minMinor || minor > maxMinor) {
    throw new MinosError(argument, value, allowed);
  }
  return { major, minor, patch, text: value as string };
}

/** The version a cluster of this OS runs: the one asked for, checked, or the OS's default. */
export function resolveKubernetesVersion(
  value: unknown,
  support: KubernetesSupport = KUBERNETES_SUPPORT,
): KubernetesVersion {
  return parseKubernetesVersion("kubernetesVersion", value ?? support.defaultVersion, support);
}
