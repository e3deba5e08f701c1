/**
 * Every external version @minos/kvm pins, each with the upstream source it
 * was checked against. docs/versions.md lists them (a test keeps the two
 * equal); bump them here, deliberately, one at a time.
 */

/**
 * MetalLB's Helm chart, which gives KVM clusters Services of type
 * `LoadBalancer`: 0.16.1, the chart of metallb/metallb's newest release
 * v0.16.1 (2026-05-27), whose `charts/metallb/Chart.yaml` asks
 * `kubeVersion: ">= 1.19.0-0"`; its website's requirements ask Kubernetes
 * 1.13.0 or later and name no newest. Its values and the CRDs minos fills
 * are copied in `packages/kvm/test/fixtures/metallb`.
 */
export const METALLB_CHART_VERSION = "0.16.1";
export const METALLB_CHART_REPO = "https://metallb.github.io/metallb";
