import { readFileSync } from "node:fs";
import { comparisonProblems, parseNodes } from "@minos/core";
import { PROBES } from "@minos/workload";
import { expect, it } from "vitest";
import { expectReadmeMatches } from "../support/example-readme.js";
import { mockFcosStream } from "../support/fcos-stream.js";
import { installMocks, mockOutputs, resolved } from "../support/pulumi-mocks.js";

const FIXTURE = readFileSync(
  new URL("../../packages/core/test/fixtures/nodes.json", import.meta.url),
  "utf8",
);

/** What each OS's nodes would report: made-up but shaped like the real thing. */
const REPORTS: Record<
  string,
  { osImage: string; kernel: string; runtime: string; api: number; nodes: number }
> = {
  "10.90.0.10": {
    osImage: "Flatcar Container Linux by Kinvolk 4459.2.1 (Oklo)",
    kernel: "6.12.58-flatcar",
    runtime: "containerd://2.1.5",
    api: 94.2,
    nodes: 151.7,
  },
  "10.91.0.10": {
    osImage: "Fedora CoreOS 43.20261102.3.0",
    kernel: "6.17.7-300.fc43.x86_64",
    runtime: "cri-o://1.35.1",
    api: 132.8,
    nodes: 203.4,
  },
  "10.92.0.10": {
    osImage: "Talos (v1.13.9)",
    kernel: "6.18.24-talos",
    runtime: "containerd://2.1.5",
    api: 71.5,
    nodes: 118.9,
  },
};

// The whole program under mocks, with the readiness gates answering as real clusters would.
it("examples/compare-os builds three clusters and one comparison table", async () => {
  const registered = installMocks();
  mockFcosStream();
  mockOutputs("pulumi-nodejs:dynamic/minos:ApiReadiness", (inputs) => {
    const host = new URL(String(inputs.endpoint)).hostname;
    const r = REPORTS[host];
    if (!r) return {};
    const nodes = parseNodes(FIXTURE).map((n) => ({
      ...n,
      osImage: r.osImage,
      kernelVersion: r.kernel,
      containerRuntime: r.runtime,
      kubeletVersion: "v1.35.2",
    }));
    return inputs.waitFor === "nodes"
      ? { readySeconds: r.api, nodesReadySeconds: r.nodes, nodes }
      : { readySeconds: r.api };
  });
  // Each collector as it records a run: one result per probe, the footprint failed on talos.
  const collected = Object.keys(PROBES).filter((p) => p !== "api-ready" && p !== "nodes-ready");
  mockOutputs("pulumi-nodejs:dynamic/minos:ProbeCollector", (inputs) => ({
    startedAt: "2026-12-07T01:00:00Z",
    results: collected.map((probe) =>
      inputs.cluster === "talos" && probe === "node-memory"
        ? { probe, cluster: inputs.cluster, status: "failed", samples: [], reason: "HTTP 503" }
        : { probe, cluster: inputs.cluster, status: "ok", samples: [1.5, 2] },
    ),
    posture: [
      {
        node: "n0",
        rootWritable: false,
        usrWritable: false,
        selinux: "disabled",
        apparmor: "disabled",
        lockdown: "none",
        cgroupVersion: 2,
        cmdline: "root=LABEL=ROOT",
        sshd: false,
      },
    ],
  }));
  const program = await import("../../examples/compare-os/index.js");
  const table = await resolved(program.comparisonTable);
  await expectReadmeMatches("compare-os", registered);
  console.log(table);
  const doc = await resolved(program.comparison);
  expect(comparisonProblems(doc)).toEqual([]);
  expect(doc.clusters.map((c) => c.os)).toEqual(["flatcar", "fcos", "talos"]);
  expect(doc.clusters[2]).toMatchObject({
    platform: "kvm",
    location: "qemu:///system",
    kubernetesVersion: "1.35.2",
    machines: [
      { group: "control-plane", machineType: "default", count: 1 },
      { group: "worker/general", machineType: "default", count: 1 },
    ],
    nodes: { runtime: "containerd://2.1.5", kernel: "6.18.24-talos" },
    posture: { selinux: "disabled", cgroupVersion: "2", cmdline: "root=LABEL=ROOT" },
  });
  for (const c of doc.clusters)
    expect(Object.keys(c.userDataBytes ?? {}).sort()).toEqual(["control-plane", "worker/general"]);
  expect(Object.keys(doc.probes)).toEqual(Object.keys(PROBES));
  expect(doc.results).toHaveLength(3 * Object.keys(PROBES).length);
  expect(doc.results.filter((r) => r.cluster === "talos").slice(0, 2)).toEqual([
    { probe: "api-ready", cluster: "talos", status: "ok", samples: [71.5] },
    { probe: "nodes-ready", cluster: "talos", status: "ok", samples: [118.9] },
  ]);
  expect(doc.results.find((r) => r.cluster === "talos" && r.probe === "node-memory")).toMatchObject(
    {
      status: "failed",
      reason: "HTTP 503",
    },
  );
  // Each collector runs its cluster's probes with the admin kubeconfig's credentials, as run 1.
  const collectors = registered.filter(
    (r) => r.type === "pulumi-nodejs:dynamic/minos:ProbeCollector",
  );
  // The load balancer and volume probe times what each cluster took (on KVM: MetalLB and local volumes).
  type Plan = { jobs: unknown[]; lbVolume: { volumes: boolean; loadBalancers: boolean } };
  expect(
    collectors.map((r) => {
      const plan = r.inputs.plan as Plan;
      return [
        r.name,
        r.inputs.runId,
        plan.jobs.length,
        plan.lbVolume.volumes,
        plan.lbVolume.loadBalancers,
      ];
    }),
  ).toEqual([
    ["collect-flatcar", "1", 10, true, true],
    ["collect-fcos", "1", 10, true, true],
    ["collect-talos", "1", 10, true, true],
  ]);
  expect(table.split("\n")[0]).toBe(
    "| OS | API ready (s) | nodes Ready (s) | kernel | runtime | kubelet | user-data bytes |",
  );
  // nginx on each cluster, KVM's local volume provisioner in each, and
  // Fedora CoreOS's FleetLock server for Zincati.
  expect(
    registered
      .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
      .map((r) => r.name)
      .sort(),
  ).toEqual([
    "cmp-fcos-fleetlock",
    "cmp-fcos-local-path",
    "cmp-flatcar-local-path",
    "cmp-talos-local-path",
    "nginx-fcos",
    "nginx-flatcar",
    "nginx-talos",
  ]);
});

it("compare-os refuses clusters that differ in more than their OS, naming how", async () => {
  const { footingDifferences } = await import("../../examples/compare-os/footing.js");
  const cp = { group: "control-plane", machineType: "default", count: 1 };
  const machines = [cp];
  const same = { platform: "kvm", kubernetesVersion: "1.35.2", cni: "flannel", machines };
  expect(
    footingDifferences([
      { name: "flatcar", ...same },
      { name: "fcos", ...same },
    ]),
  ).toEqual([]);
  expect(
    footingDifferences([
      { name: "flatcar", ...same },
      { name: "fcos", ...same },
      { name: "talos", ...same, cni: "cilium", machines: [{ ...cp, count: 3 }] },
    ]),
  ).toEqual([
    "CNI: flannel (flatcar, fcos), cilium (talos)",
    "machine counts: control-plane × 1 (flatcar, fcos), control-plane × 3 (talos)",
  ]);
});
