import { IPERF3_IMAGE } from "../versions.js";
import type { Manifest } from "./manifest.js";
import { byHost, CONTROL_PLANE_TOLERATION, PART_OF, PROBE_LABEL, probeJob } from "./manifest.js";
import type { ResolvedProbeSettings } from "./settings.js";

/** The three paths the network probe measures, each with its own iperf3 server and client. */
export const NETWORK_PATHS = ["same-node", "cross-node", "service"] as const;
/** One of `NETWORK_PATHS`. */
export type NetworkPath = (typeof NETWORK_PATHS)[number];

/** The iperf3 server's port (its default). */
const PORT = 5201;

/** The label telling a path's server pod from its client. */
export const IPERF3_ROLE = "minos.dev/iperf3";

/**
 * One path's objects: an iperf3 server Job that serves one test and exits
 * (`-s -1`), a Service in front of it (headless for pod-to-pod, so the
 * client reaches the pod's own address; a ClusterIP for `service`), and a
 * client Job placed on the server's node (`same-node`) or off it, that
 * retries until the server answers and prints iperf3's JSON (`-J`).
 */
export function networkObjects(s: ResolvedProbeSettings, path: NetworkPath): Manifest[] {
  const probe = `network-${path}`;
  const server = { [PROBE_LABEL]: probe, [IPERF3_ROLE]: "server" };
  const service = `iperf3-${path}`;
  const client = [
    `for i in $(seq 1 ${Math.ceil(s.timeoutSeconds / 5)}); do`,
    // With -J, iperf3 may exit 0 on a failure: its JSON's "error" tells.
    `  out=$(iperf3 -c ${service} -p ${PORT} -J -t ${s.iperfSeconds} --connect-timeout 3000 2>&1)`,
    `  if [ $? -eq 0 ] && ! printf '%s' "$out" | grep -q '"error"'; then`,
    `    printf '%s\\n' "$out"; exit 0`,
    "  fi",
    "  sleep 2",
    "done",
    `printf '%s\\n' "$out"; exit 1`,
  ].join("\n");
  const common = {
    automountServiceAccountToken: false,
    tolerations: [CONTROL_PLANE_TOLERATION],
  };
  return [
    probeJob(s, {
      name: `iperf3-server-${path}`,
      probe,
      parallelism: 1,
      podLabels: server,
      pod: {
        ...common,
        containers: [
          {
            name: "iperf3",
            image: IPERF3_IMAGE,
            command: ["iperf3", "-s", "-1", "-p", String(PORT)],
            ports: [{ containerPort: PORT, protocol: "TCP" }],
            resources: { requests: { cpu: "100m", memory: "32Mi" } },
          },
        ],
      },
    }),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: service, namespace: s.namespace, labels: PART_OF },
      spec: {
        ...(path !== "service" && { clusterIP: "None" }),
        selector: server,
        ports: [{ name: "iperf3", port: PORT, targetPort: PORT, protocol: "TCP" }],
      },
    },
    probeJob(s, {
      name: `iperf3-client-${path}`,
      probe,
      parallelism: 1,
      podLabels: { [IPERF3_ROLE]: "client" },
      pod: {
        ...common,
        affinity:
          path === "same-node"
            ? { podAffinity: byHost(server) }
            : { podAntiAffinity: byHost(server) },
        containers: [
          {
            name: "iperf3",
            image: IPERF3_IMAGE,
            command: ["sh", "-c", client],
            resources: { requests: { cpu: "100m", memory: "32Mi" } },
          },
        ],
      },
    }),
  ];
}
