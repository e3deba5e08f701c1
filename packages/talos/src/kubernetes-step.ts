import { MinosError } from "@minos/core";

const parts = (version: string) => version.split(".").map(Number) as [number, number, number];

/**
 * Refuses a Kubernetes change running Talos nodes cannot take in one step:
 * back to an older release (etcd and the API's stored objects do not go
 * back), or past the next minor (Kubernetes' version skew policy moves the
 * control plane one minor at a time).
 */
export function checkKubernetesStep(from: string, to: string): void {
  const [fromMajor, fromMinor, fromPatch] = parts(from);
  const [toMajor, toMinor, toPatch] = parts(to);
  const older =
    toMajor < fromMajor ||
    (toMajor === fromMajor &&
      (toMinor < fromMinor || (toMinor === fromMinor && toPatch < fromPatch)));
  if (older || toMajor !== fromMajor || toMinor > fromMinor + 1)
    throw new MinosError(
      "kubernetesVersion",
      to,
      `the cluster runs ${from}: use a later ${fromMajor}.${fromMinor} patch or a ${fromMajor}.${fromMinor + 1} release (one minor at a time, never back)`,
    );
}
