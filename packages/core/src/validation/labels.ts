import { MinosError } from "../errors.js";
import { refuseUnknownKeys } from "./keys.js";

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/**
 * Kubelets may only set labels in the kubernetes.io and k8s.io namespaces that
 * the NodeRestriction admission plugin lets through; `node-role.kubernetes.io/*`
 * is refused at registration and would keep the node from joining.
 */
const KUBELET_SETTABLE_PREFIXES = ["kubelet.kubernetes.io", "node.kubernetes.io"];

function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (!NAME.test(name)) return false;
  return prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
}

function isRestrictedNamespace(key: string): boolean {
  const slash = key.lastIndexOf("/");
  if (slash === -1) return false;
  const prefix = key.slice(0, slash);
  const reserved = /(^|\.)(kubernetes\.io|k8s\.io)$/.test(prefix);
  return (
    reserved && !KUBELET_SETTABLE_PREFIXES.some((p) => prefix === p || prefix.endsWith(`.${p}`))
  );
}

/** Validates node labels a kubelet will register itself with. */
export function validateLabels(argument: string, labels: unknown): Record<string, string> {
  if (labels === undefined) return {};
  if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
    throw new MinosError(argument, labels, "use an object of label keys to string values");
  }
  for (const [key, value] of Object.entries(labels)) {
    if (!isLabelKey(key)) {
      throw new MinosError(
        `${argument} key`,
        key,
        "use a Kubernetes label key: an optional DNS-subdomain prefix and '/', then 1-63 letters, digits, '-', '_' or '.'",
      );
    }
    if (isRestrictedNamespace(key)) {
      throw new MinosError(
        `${argument} key`,
        key,
        `kubelets may not set labels under kubernetes.io or k8s.io except ${KUBELET_SETTABLE_PREFIXES.join(" and ")}; use your own prefix (node-role labels must be applied by an admin)`,
      );
    }
    if (typeof value !== "string" || !VALUE.test(value)) {
      throw new MinosError(
        `${argument}.${key}`,
        value,
        "use a label value: empty, or up to 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric",
      );
    }
  }
  return labels as Record<string, string>;
}

/** A Kubernetes node taint. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** Validates taints a node registers with. */
export function validateTaints(argument: string, taints: unknown): Taint[] {
  if (taints === undefined) return [];
  if (!Array.isArray(taints))
    throw new MinosError(argument, taints, "use a list of { key, value?, effect }");
  taints.forEach((taint: Partial<Taint> | null, i) => {
    const at = `${argument}[${i}]`;
    if (typeof taint !== "object" || taint === null) {
      throw new MinosError(at, taint, "use { key, value?, effect }");
    }
    // A misspelt `efect` would otherwise be blamed on the missing effect.
    refuseUnknownKeys(at, taint, ["key", "value", "effect"]);
    if (typeof taint.key !== "string" || !isLabelKey(taint.key)) {
      throw new MinosError(`${at}.key`, taint.key, "use a Kubernetes label key");
    }
    if (
      taint.value !== undefined &&
      (typeof taint.value !== "string" || !VALUE.test(taint.value))
    ) {
      throw new MinosError(`${at}.value`, taint.value, "use a label value (up to 63 characters)");
    }
    if (!EFFECTS.includes(taint.effect as string)) {
      throw new MinosError(`${at}.effect`, taint.effect, `use one of ${EFFECTS.join(", ")}`);
    }
  });
  return taints as Taint[];
}
