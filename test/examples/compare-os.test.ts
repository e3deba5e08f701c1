import { readFileSync } from "node:fs";
import { parseNodes } from "@minos/core";
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
  const program = await import("../../examples/compare-os/index.js");
  const table = await resolved(program.comparisonTable);
  await expectReadmeMatches("compare-os", registered);
  console.log(table);
  const rows = await resolved(program.comparison);
  expect(rows.map((r) => r.os)).toEqual(["flatcar", "fcos", "talos"]);
  expect(rows[2]).toMatchObject({
    apiReadySeconds: 71.5,
    nodesReadySeconds: 118.9,
    runtime: "containerd://2.1.5",
  });
  for (const row of rows)
    expect(Object.keys(row.userDataBytes).sort()).toEqual(["control-plane", "worker/general"]);
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
