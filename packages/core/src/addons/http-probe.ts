import type * as k8s from "@pulumi/kubernetes";

/**
 * A container probe that asks a named port over HTTP, as add-on manifests
 * write them: `initialDelaySeconds` and `periodSeconds` after the path, and
 * a failure threshold only where upstream sets one.
 */
export function httpProbe(
  path: string,
  port: string,
  initialDelaySeconds: number,
  periodSeconds: number,
  failureThreshold?: number,
): k8s.types.input.core.v1.Probe {
  return {
    httpGet: { path, port },
    initialDelaySeconds,
    periodSeconds,
    ...(failureThreshold !== undefined && { failureThreshold }),
  };
}
