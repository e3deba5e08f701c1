import { MinosError } from "./errors.js";

/*
 * Kubernetes' version skew policy (kubernetes/website
 * `content/en/releases/version-skew-policy.md`) as minos applies it, one
 * rule for every OS: a running control plane moves one minor at a time and
 * never back (kubeadm: "Skipping MINOR versions when upgrading is
 * unsupported"), and a kubelet is never newer than the API server and at
 * most three minors older.
 *
 * `releaseOrder` and `kubernetesStepRefusal` use nothing outside their own
 * bodies: the version gate's provider, which Pulumi serializes into another
 * process, captures them by value.
 */

/** Negative, zero or positive as release `a` is older than, equal to or newer than `b` (`1.36.3`; a leading `v` is read too). */
export function releaseOrder(a: string, b: string): number {
  const parse = (v: string) =>
    (/^v?(\d+)\.(\d+)\.(\d+)/.exec(v) ?? ["", "0", "0", "0"]).slice(1, 4).map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return 0;
}

/**
 * Why a running cluster cannot move from Kubernetes `from` to `to` in one
 * step, as what would be allowed; undefined when it can (the same release,
 * a later patch of its minor, or any release of the next minor).
 */
export function kubernetesStepRefusal(from: string, to: string): string | undefined {
  const parse = (v: string) => /^(\d+)\.(\d+)\.(\d+)$/.exec(v)?.slice(1, 4).map(Number);
  const [f, t] = [parse(from), parse(to)];
  if (!f || !t) return `use a major.minor.patch release (the cluster runs ${from})`;
  const [major, minor, patch] = f as [number, number, number];
  const [toMajor, toMinor, toPatch] = t as [number, number, number];
  const next = `${major}.${minor + 1}`;
  const choices = `${from}, a later ${major}.${minor} patch or a ${next} release`;
  if (toMajor === major && toMinor === minor && toPatch >= patch) return undefined;
  if (toMajor === major && toMinor === minor + 1) return undefined;
  const older = toMajor < major || (toMajor === major && toMinor <= minor);
  return older
    ? `the cluster runs ${from}, and a running cluster never goes back to an older Kubernetes (etcd and the API's stored objects do not): use ${choices}`
    : `the cluster runs ${from}, and ${to} skips ${next}: a running cluster moves one minor at a time (Kubernetes' version skew policy), so move it to a ${next} release first`;
}

/**
 * Throws a MinosError naming `kubernetesVersion` unless a running cluster
 * at `from` can move to `to` in one step (see `kubernetesStepRefusal`).
 */
export function checkKubernetesStep(from: string, to: string): void {
  const refusal = kubernetesStepRefusal(from, to);
  if (refusal) throw new MinosError("kubernetesVersion", to, refusal);
}

/** How many minors older than the API server a kubelet may be (the skew policy, since 1.28). */
export const KUBELET_MAX_MINORS_BEHIND = 3;

/**
 * Throws a MinosError naming `argument` when nodes at Kubernetes `kubelet`
 * cannot join a control plane at `controlPlane`: a kubelet of a newer minor,
 * or more than three minors older.
 */
export function checkKubeletSkew(argument: string, kubelet: string, controlPlane: string): void {
  const minorOf = (v: string) => Number(/^v?\d+\.(\d+)\./.exec(v)?.[1]);
  const [node, api] = [minorOf(kubelet), minorOf(controlPlane)];
  const oldest = `1.${api - KUBELET_MAX_MINORS_BEHIND}`;
  if (node > api)
    throw new MinosError(
      argument,
      kubelet,
      `the cluster's control plane runs ${controlPlane}, and a kubelet is never newer than its API server: upgrade the cluster first, or use a release from ${oldest} to 1.${api}`,
    );
  if (node < api - KUBELET_MAX_MINORS_BEHIND)
    throw new MinosError(
      argument,
      kubelet,
      `the cluster's control plane runs ${controlPlane}, and a kubelet may be at most ${KUBELET_MAX_MINORS_BEHIND} minors older: use a release from ${oldest} to 1.${api}`,
    );
}
