import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { CILIUM_CHART_REPO, CILIUM_VERSION } from "../versions.js";

/**
 * Cilium from its pinned Helm chart, with Kubernetes-assigned pod CIDRs (the
 * controller manager's, from the cluster's pod network) and kube-proxy kept.
 * `osValues` carries what an OS needs on top (Talos: no cgroup automount,
 * explicit capabilities).
 */
export function cilium(
  name: string,
  osValues: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  return [
    new k8s.helm.v3.Release(
      `${name}-cilium`,
      {
        chart: "cilium",
        version: CILIUM_VERSION,
        repositoryOpts: { repo: CILIUM_CHART_REPO },
        namespace: "kube-system",
        values: {
          ipam: { mode: "kubernetes" },
          kubeProxyReplacement: false,
          operator: { replicas: 1 },
          ...osValues,
        },
      },
      opts,
    ),
  ];
}
