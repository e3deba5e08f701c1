import type { ComparisonProbe } from "@minos/core";
import { AGNHOST_IMAGE, IPERF3_IMAGE, PAUSE_IMAGE, PULL_IMAGE } from "../versions.js";

/** This package's release, for what minos itself reads (`minos/<reader>@<version>`). */
const VERSION: string = (require("../../package.json") as { version: string }).version;
const reader = (name: string) => `minos/${name}@${VERSION}`;

const seconds = (title: string, image: string): ComparisonProbe => ({
  title,
  image,
  unit: "s",
  better: "lower",
});
const mib = (title: string): ComparisonProbe => ({
  title,
  image: reader("kubelet-summary"),
  unit: "MiB",
  better: "lower",
});
const mbits = (title: string): ComparisonProbe => ({
  title,
  image: IPERF3_IMAGE,
  unit: "Mbit/s",
  better: "higher",
});
const nodes = (title: string, better: "lower" | "higher"): ComparisonProbe => ({
  title,
  image: AGNHOST_IMAGE,
  unit: "nodes",
  better,
});

/**
 * Every probe the collector reports, by the name results carry: what ran
 * (pinned), its unit, which way is better. docs/comparison.md says how each
 * is measured.
 */
export const PROBES = {
  "api-ready": seconds("API ready", reader("api-readiness")),
  "nodes-ready": seconds("Nodes Ready", reader("nodes-readiness")),
  "pod-scheduled": seconds("Pod scheduled (create to scheduled)", PAUSE_IMAGE),
  "pod-running": seconds("Pod running (create to container started)", PAUSE_IMAGE),
  "pod-start": seconds("Pod start (create to ready)", PAUSE_IMAGE),
  "image-pull": seconds("Image pull (kubelet's Pulled event)", PULL_IMAGE),
  "dns-service": {
    title: "DNS lookup, Service name",
    image: AGNHOST_IMAGE,
    unit: "ms",
    better: "lower",
  },
  "dns-external": {
    title: "DNS lookup, external name",
    image: AGNHOST_IMAGE,
    unit: "ms",
    better: "lower",
  },
  "dns-failures": {
    title: "DNS lookups failed",
    image: AGNHOST_IMAGE,
    unit: "lookups",
    better: "lower",
  },
  "pod-network-same-node": mbits("Pod-to-pod throughput, same node"),
  "pod-network": mbits("Pod-to-pod throughput, across nodes"),
  "pod-network-service": mbits("Pod-to-Service throughput"),
  "node-memory": mib("Node memory working set"),
  "rootfs-used": mib("Root filesystem used"),
  "imagefs-used": mib("Image filesystem used"),
  "kubelet-memory": mib("Kubelet memory working set"),
  "runtime-memory": mib("Container runtime memory working set"),
  "kubelet-cpu": {
    title: "Kubelet CPU",
    image: reader("kubelet-summary"),
    unit: "millicores",
    better: "lower",
  },
  "reserved-memory": {
    title: "Memory reserved (capacity − allocatable)",
    image: reader("node-status"),
    unit: "MiB",
    better: "lower",
  },
  "root-writable": nodes("Nodes with a writable /", "lower"),
  "usr-writable": nodes("Nodes with a writable /usr", "lower"),
  "sshd-present": nodes("Nodes with an SSH daemon", "lower"),
  "selinux-enforcing": nodes("Nodes with SELinux enforcing", "higher"),
  "lockdown-on": nodes("Nodes with kernel lockdown on", "higher"),
  "volume-ready": seconds("Volume bound and mounted (claim to container started)", PULL_IMAGE),
  "load-balancer-answers": seconds("Load balancer answers (Service to HTTP 200)", PULL_IMAGE),
} satisfies Record<string, ComparisonProbe>;

/** A probe's name. */
export type ProbeName = keyof typeof PROBES;
