/**
 * A readiness gate that times out says where to look, for the cluster's OS
 * and platform: the serial console, and the OS's own logs on a node. The
 * gate's provider is serialized by Pulumi and can load nothing of minos, so
 * the cluster hands it the text as data.
 */
import { apiReadinessProvider, readinessTroubleshooting } from "@minos/core";
import { FlatcarCluster, flatcarOs } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import { talosOs } from "@minos/talos";
import { describe, expect, it } from "vitest";
import { apiServerFixture } from "./support/mtls-server.js";
import { installMocks, plain, resolved } from "./support/pulumi-mocks.js";

const stand = apiServerFixture();

/** The gate's error against an API-server stand-in that never gets ready, with a tiny timeout. */
async function timeoutError(troubleshooting: string | undefined, waitFor: "api" | "nodes") {
  const api = await stand.serve((req, res) => {
    if (req.url === "/readyz") return res.writeHead(waitFor === "api" ? 503 : 200).end();
    res.writeHead(200).end(JSON.stringify({ items: [] }));
  });
  const inputs = {
    ...stand.as(api.endpoint),
    timeoutSeconds: 0.3,
    intervalSeconds: 0.1,
    waitFor,
    expectedNodes: 2,
    ...(troubleshooting !== undefined && { troubleshooting }),
  };
  const failure = await apiReadinessProvider.create?.(inputs).catch((e: unknown) => e);
  return (failure as Error).message;
}

describe("a readiness timeout names where to look", () => {
  it("Flatcar on KVM: the domain's serial console, then kubeadm's and the kubelet's journal", async () => {
    const hint = readinessTroubleshooting(flatcarOs(), kvm({ uri: "qemu:///system" }));
    expect(hint).toBe(
      "to see why, read the nodes' serial console (virsh --connect qemu:///system console <domain>; virsh --connect qemu:///system list --all names them); and on a flatcar node, `journalctl -u kubeadm` then `journalctl -u kubelet` (ssh core@<node address>)",
    );
    expect(await timeoutError(hint, "api")).toMatch(
      /^minos: the API server at https:\/\/127\.0\.0\.1:\d+ was not ready after [\d.]+ s \(\d+ attempts\); last status: HTTP 503; to see why, read the nodes' serial console \(virsh --connect qemu:\/\/\/system console <domain>;.*on a flatcar node, `journalctl -u kubeadm` then `journalctl -u kubelet`/,
    );
  });

  it("Talos: talosctl dmesg and logs, in the nodes gate's error too", async () => {
    const hint = readinessTroubleshooting(talosOs(), kvm({}));
    expect(hint).toContain(
      "on a talos node, `talosctl -n <node address> dmesg` and `talosctl -n <node address> logs kubelet` (with the cluster's talosconfig)",
    );
    expect(hint).not.toContain("journalctl");
    expect(await timeoutError(hint, "nodes")).toMatch(
      /^minos: 2 nodes of https:\/\/127\.0\.0\.1:\d+ were not Ready after [\d.]+ s \(\d+ attempts\); last status: nodes ready 0\/2; to see why, read the nodes' serial console \(virsh .*\); and on a talos node, `talosctl -n <node address> dmesg`/,
    );
  });

  it("without a hint, the error is as before", async () => {
    expect(readinessTroubleshooting({ name: "toy" }, { name: "toy" })).toBeUndefined();
    expect(await timeoutError(undefined, "api")).toMatch(/last status: HTTP 503$/);
  });

  it("a cluster hands both its gates the hint for its OS and platform", async () => {
    const registered = installMocks({ stack: "hints" });
    const cluster = new FlatcarCluster("hints", {
      platform: kvm({}),
      kubernetesVersion: "1.37.1",
      nodePools: { general: { count: 1 } },
      sysext: { hashes: {} },
    });
    await resolved(cluster.kubeconfig);
    await new Promise((r) => setTimeout(r, 100));
    const gates = registered.filter((r) => r.type === "pulumi-nodejs:dynamic/minos:ApiReadiness");
    const expected = readinessTroubleshooting(flatcarOs(), kvm({}));
    expect(
      gates.map((g) => [g.name, plain<{ troubleshooting: string }>(g.inputs).troubleshooting]),
    ).toEqual([
      ["hints-api-ready", expected],
      ["hints-nodes-ready", expected],
    ]);
  });
});
