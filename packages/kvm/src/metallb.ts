import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { LoadBalancerBlock } from "./load-balancer-addresses.js";
import { METALLB_CHART_REPO, METALLB_CHART_VERSION } from "./versions.js";

/** Where MetalLB runs: the namespace upstream's manifests and docs use. */
export const METALLB_NAMESPACE = "metallb-system";
/** How long the release waits for MetalLB's pods, in seconds (readiness.timeoutSeconds' default). */
export const RELEASE_TIMEOUT_SECONDS = 1200;
/** The name of the address pool and of its L2 advertisement. */
export const METALLB_POOL = "minos";

/**
 * The chart's values: every key exists in the chart's `values.yaml` at
 * 0.16.1 (a test holds them to the copy in `test/fixtures/metallb`).
 */
export const METALLB_VALUES = {
  // Layer 2 only: the speaker's native mode, without FRR or the frr-k8s
  // subchart the chart installs by default for BGP ("Installation with
  // Helm" names these two values for the native implementation).
  speaker: { frr: { enabled: false } },
  frrk8s: { enabled: false },
  // The pool and advertisement follow the release at once, but the
  // controller reports ready (a ping) before its webhook serves with the
  // certificate it makes itself: a webhook that cannot be reached yet lets
  // them through, as their schema and minos' own checks have vetted them.
  crds: { validationFailurePolicy: "Ignore" },
};

/**
 * MetalLB in layer 2 mode from its pinned Helm chart, handing Services of
 * type `LoadBalancer` addresses of `block` and answering ARP for them from
 * one node each: its namespace (privileged, since the speaker runs on the
 * host network with raw-socket capabilities and Talos enforces the
 * `baseline` Pod Security level), the release (which installs the CRDs), and
 * an `IPAddressPool` and `L2Advertisement` made once the release is there.
 */
export function metallb(
  name: string,
  block: LoadBalancerBlock,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const ns = new k8s.core.v1.Namespace(
    `${name}-metallb`,
    {
      metadata: {
        name: METALLB_NAMESPACE,
        // As upstream's manifests label it, and its Helm docs ask.
        labels: {
          "pod-security.kubernetes.io/enforce": "privileged",
          "pod-security.kubernetes.io/audit": "privileged",
          "pod-security.kubernetes.io/warn": "privileged",
        },
      },
    },
    opts,
  );
  const release = new k8s.helm.v3.Release(
    `${name}-metallb`,
    {
      // Fixed, so its objects are named metallb-controller, metallb-speaker.
      name: "metallb",
      chart: "metallb",
      version: METALLB_CHART_VERSION,
      repositoryOpts: { repo: METALLB_CHART_REPO },
      namespace: METALLB_NAMESPACE,
      values: METALLB_VALUES,
      // Helm waits for the controller and every speaker, so for workers to be
      // Ready: as long as the cluster's readiness gates wait by default, not
      // Helm's 300 s, which a slow host's first boot can outlast.
      timeout: RELEASE_TIMEOUT_SECONDS,
    },
    { ...opts, dependsOn: [ns] },
  );
  const afterRelease = { ...opts, dependsOn: [release] };
  const pool = new k8s.apiextensions.CustomResource(
    `${name}-metallb-pool`,
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: { name: METALLB_POOL, namespace: METALLB_NAMESPACE },
      spec: { addresses: [`${block.first}-${block.last}`] },
    },
    afterRelease,
  );
  const advertisement = new k8s.apiextensions.CustomResource(
    `${name}-metallb-l2`,
    {
      apiVersion: "metallb.io/v1beta1",
      kind: "L2Advertisement",
      metadata: { name: METALLB_POOL, namespace: METALLB_NAMESPACE },
      spec: { ipAddressPools: [METALLB_POOL] },
    },
    afterRelease,
  );
  return [ns, release, pool, advertisement];
}
