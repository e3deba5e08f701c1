import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerContext } from "../../../test/support/context.js";
import { fileContents } from "../../../test/support/ignition-files.js";
import type { MetadataNetns } from "../../../test/support/metadata-netns.js";
import { canUseNetns, metadataNetns } from "../../../test/support/metadata-netns.js";
import { haveTool } from "../../../test/support/system-tools.js";
import { ignition } from "../src/index.js";

const { GCE_METADATA_ADDRESS, POD_METADATA_BLOCK_RULES, POD_METADATA_BLOCK_UNIT } = ignition;
const rules = ignition.podMetadataBlockRules();

/** A kubeadm node's Ignition on a platform, with an OS shaped like Flatcar. */
function nodeIgnition(platform: "gcp" | "aws" | "kvm") {
  const os: ignition.KubeadmIgnitionOs = {
    kubeadm: { criSocket: "unix:///run/containerd/containerd.sock" },
    runtime: { unit: "containerd.service" },
    loginUser: "core",
    kubernetes: () => ({}),
    updates: () => ({}),
    extraIgnition: [],
  };
  return JSON.parse(ignition.renderKubeadmIgnition("worker", workerContext({ platform }), os));
}

describe("pods and the GCE metadata server", () => {
  it("a GCE node loads the block at every boot, before the network and kubelet; other platforms have none", () => {
    const gce = nodeIgnition("gcp");
    const unit = gce.systemd.units.find(
      (u: { name: string }) => u.name === POD_METADATA_BLOCK_UNIT,
    );
    expect(unit.enabled).toBe(true);
    expect(unit.contents).toContain(
      `ExecStart=/usr/sbin/iptables-restore --noflush ${POD_METADATA_BLOCK_RULES}`,
    );
    expect(unit.contents).toMatch(
      /^Before=network-pre\.target kubelet\.service kubeadm\.service$/m,
    );
    expect(fileContents(JSON.stringify(gce), POD_METADATA_BLOCK_RULES)).toBe(rules);
    for (const other of ["aws", "kvm"] as const)
      expect(JSON.stringify(nodeIgnition(other))).not.toContain(POD_METADATA_BLOCK_UNIT);
  });

  const real = canUseNetns() && haveTool("iptables-restore", "iptables-restore");
  describe.skipIf(!real)("with the real iptables, in network namespaces", () => {
    let net: MetadataNetns;
    let file: string;
    beforeAll(async () => {
      net = await metadataNetns();
      file = join(mkdtempSync(join(tmpdir(), "minos-rules-")), "rules");
      writeFileSync(file, rules);
    }, 30_000);
    afterAll(() => net?.close());

    it("without the rules a pod reaches metadata: what the rules change is there to see", () => {
      expect(net.ask(net.ns.pod, "http")).toBe("metadata");
    });

    it("the rules pass iptables-restore's own check, and load", () => {
      const { inNs, ns } = net;
      expect(() => inNs(ns.node, "iptables-restore", "--test", "--noflush", file)).not.toThrow();
      inNs(ns.node, "iptables-restore", "--noflush", file);
      expect(inNs(ns.node, "iptables", "-t", "raw", "-S", "PREROUTING")).toContain(
        `-A PREROUTING -d ${GCE_METADATA_ADDRESS}/32 -m comment --comment "minos: pods may not reach the GCE metadata server" -j DROP`,
      );
    });

    it("a pod cannot reach metadata over HTTP; the node itself can", () => {
      expect(net.ask(net.ns.pod, "http")).toBe("blocked");
      expect(net.ask(net.ns.node, "http")).toBe("metadata");
    });

    it("a pod still reaches the VPC's resolver on port 53", () => {
      expect(net.ask(net.ns.pod, "dns")).toBe("dns?");
    });
  });
});
