/**
 * The probes' Jobs of one cluster, in the order the collector runs them:
 * written out here, apart from the catalog that makes them, so a test
 * notices a Job gone, added or moved.
 */
export const PROBE_JOBS = [
  "pod-start",
  "image-pull",
  "dns",
  "iperf3-server-same-node",
  "iperf3-client-same-node",
  "iperf3-server-cross-node",
  "iperf3-client-cross-node",
  "iperf3-server-service",
  "iperf3-client-service",
  "host-posture",
];
