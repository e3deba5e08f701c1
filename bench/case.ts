/**
 * One bench case, in its own process so peak memory is its own:
 *   tsx bench/case.ts <flatcar|fcos|talos|bottlerocket|kvm|floor> <workers> [resources] [payloadBytes]
 * `kvm` is Flatcar on the KVM platform: every node a handful of libvirt
 * dynamic resources, so it counts what serializing their providers costs.
 * Prints one JSON line: busy ms, peak RSS MiB, resources registered, payload bytes.
 */

import { aws } from "@minos/aws";
import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { planProgram } from "@minos/cli";
import type { Cluster, NodePoolArgs } from "@minos/core";
import { FcosCluster } from "@minos/fcos";
import { FlatcarCluster } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import { TalosCluster } from "@minos/talos";
import * as awsSdk from "@pulumi/aws";

const [kind = "flatcar", w = "3", floorResources = "0", floorPayload = "0"] = process.argv.slice(2);
const workers = Number(w);

/** W workers as pools of at most 10, as a fleet of many node groups looks. */
function pools(count: number): Record<string, NodePoolArgs> {
  const result: Record<string, NodePoolArgs> = {};
  for (let i = 0; i * 10 < count; i++) result[`p${i}`] = { count: Math.min(10, count - i * 10) };
  return result;
}

let payloadBytes = 0;
async function clusterProgram() {
  const args = {
    platform: kind === "kvm" ? kvm() : aws(),
    controlPlane: { count: 1 },
    nodePools: pools(workers),
    readiness: { waitFor: "api" as const },
  };
  const cluster: Cluster =
    kind === "flatcar" || kind === "kvm"
      ? new FlatcarCluster("bench", { ...args, sysext: { hashes: {} } })
      : kind === "fcos"
        ? new FcosCluster("bench", { ...args, imageSource: "cloud" })
        : kind === "talos"
          ? new TalosCluster("bench", args)
          : (new BottlerocketNodeGroup("bench", {
              cluster: new FlatcarCluster("host", { ...args, nodePools: {} }),
              nodePools: pools(workers),
            }) as unknown as Cluster);
  const configs = await new Promise<Record<string, string>>((r) => cluster.nodeConfigs.apply(r));
  const sizes = Object.values(configs).map((c) => Buffer.byteLength(c));
  payloadBytes = Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);
}

/** The floor: as many raw AWS resources, each carrying a payload of the same size. */
function floorProgram() {
  const payload = "x".repeat(Number(floorPayload));
  for (let i = 0; i < Number(floorResources); i++)
    new awsSdk.ec2.LaunchTemplate(`floor-${i}`, { userData: payload });
  payloadBytes = Number(floorPayload);
}

async function main() {
  // Event-loop utilization counts once the loop runs: let a turn pass.
  await new Promise((r) => setImmediate(r));
  // The main thread's busy time over the plan, not wall time less the settle
  // wait: Pulumi's work after the program returns (registrations, and a dynamic
  // provider's closure serialization, whose inspector session blocks ~200 ms)
  // runs during that wait, so wall time less the wait counted it only when it
  // happened to run before the program's promise settled. Idling is left out.
  const before = performance.eventLoopUtilization();
  // Lean answers: a real deployment's certificates come from the tls provider, out of process.
  const planned = await planProgram(
    kind === "floor" ? floorProgram : clusterProgram,
    undefined,
    undefined,
    undefined,
    "lean",
  );
  const ms = performance.eventLoopUtilization(before).active;
  process.stdout.write(
    `${JSON.stringify({
      kind,
      workers,
      ms: Math.round(ms),
      rssMiB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
      resources: planned.filter((p) => p.custom).length,
      payloadBytes,
    })}\n`,
  );
  process.exit(0);
}

main();
