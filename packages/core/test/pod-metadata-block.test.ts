import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerContext } from "../../../test/support/context.js";
import { fileContents } from "../../../test/support/ignition-files.js";
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

  const real = haveTool("iptables-restore", "iptables-restore") && haveTool("ip", "ip");
  describe.skipIf(!real || process.getuid?.() !== 0)(
    "with the real iptables, in network namespaces",
    () => {
      // A node between a pod and the metadata server: pod 10.244.0.2 -> node -> 169.254.169.254.
      const id = randomBytes(3).toString("hex");
      const ns = { node: `minos-node-${id}`, pod: `minos-pod-${id}`, meta: `minos-meta-${id}` };
      const servers: ChildProcess[] = [];
      const inNs = (name: string, ...cmd: string[]) =>
        execFileSync("ip", ["netns", "exec", name, ...cmd], { encoding: "utf8" });
      const ip = (...args: string[]) => execFileSync("ip", args);

      beforeAll(async () => {
        for (const n of Object.values(ns)) ip("netns", "add", n);
        ip(
          "link",
          "add",
          `p${id}`,
          "netns",
          ns.pod,
          "type",
          "veth",
          "peer",
          "name",
          `n${id}`,
          "netns",
          ns.node,
        );
        ip(
          "link",
          "add",
          `m${id}`,
          "netns",
          ns.meta,
          "type",
          "veth",
          "peer",
          "name",
          `g${id}`,
          "netns",
          ns.node,
        );
        inNs(ns.pod, "ip", "addr", "add", "10.244.0.2/24", "dev", `p${id}`);
        inNs(ns.node, "ip", "addr", "add", "10.244.0.1/24", "dev", `n${id}`);
        inNs(ns.node, "ip", "addr", "add", "169.254.169.1/16", "dev", `g${id}`);
        inNs(ns.meta, "ip", "addr", "add", `${GCE_METADATA_ADDRESS}/16`, "dev", `m${id}`);
        for (const [n, dev] of [
          [ns.pod, `p${id}`],
          [ns.node, `n${id}`],
          [ns.node, `g${id}`],
          [ns.meta, `m${id}`],
        ] as const)
          inNs(n, "ip", "link", "set", dev, "up");
        for (const n of Object.values(ns)) inNs(n, "ip", "link", "set", "lo", "up");
        inNs(ns.pod, "ip", "route", "add", "default", "via", "10.244.0.1");
        inNs(ns.meta, "ip", "route", "add", "10.244.0.0/24", "via", "169.254.169.1");
        inNs(ns.node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        // The metadata server: HTTP on 80, and DNS-shaped UDP on 53 that answers.
        const server = `
        const http = require("node:http"), dgram = require("node:dgram");
        http.createServer((_, res) => res.end("metadata")).listen(80, "${GCE_METADATA_ADDRESS}");
        const dns = dgram.createSocket("udp4");
        dns.on("message", (m, r) => dns.send(m, r.port, r.address));
        dns.bind(53, "${GCE_METADATA_ADDRESS}", () => console.log("ready"));`;
        const child = spawn("ip", ["netns", "exec", ns.meta, process.execPath, "-e", server]);
        servers.push(child);
        await new Promise((resolve) => child.stdout?.once("data", resolve));
        const file = join(mkdtempSync(join(tmpdir(), "minos-rules-")), "rules");
        writeFileSync(file, rules);
        inNs(ns.node, "iptables-restore", "--noflush", file);
      }, 30_000);

      afterAll(() => {
        for (const s of servers) s.kill();
        for (const n of Object.values(ns)) spawnSync("ip", ["netns", "del", n]);
      });

      /** What `node` in a namespace gets from the metadata server, or "blocked". */
      const ask = (from: string, what: "http" | "dns") => {
        const client =
          what === "http"
            ? `require("node:http").get("http://${GCE_METADATA_ADDRESS}/", (r) => r.on("data", (d) => { console.log(String(d)); process.exit(0); })).on("error", () => {}); setTimeout(() => { console.log("blocked"); process.exit(0); }, 1500);`
            : `const s = require("node:dgram").createSocket("udp4"); s.on("message", (m) => { console.log(String(m)); process.exit(0); }); s.send("dns?", 53, "${GCE_METADATA_ADDRESS}"); setTimeout(() => { console.log("blocked"); process.exit(0); }, 1500);`;
        return inNs(from, process.execPath, "-e", client).trim();
      };

      it("the rules pass iptables-restore's own check", () => {
        const file = join(mkdtempSync(join(tmpdir(), "minos-rules-")), "rules");
        writeFileSync(file, rules);
        expect(() => inNs(ns.node, "iptables-restore", "--test", "--noflush", file)).not.toThrow();
        expect(inNs(ns.node, "iptables", "-t", "raw", "-S", "PREROUTING")).toContain(
          `-A PREROUTING -d ${GCE_METADATA_ADDRESS}/32 -m comment --comment "minos: pods may not reach the GCE metadata server" -j DROP`,
        );
      });

      it("a pod cannot reach metadata over HTTP; the node itself can", () => {
        expect(ask(ns.pod, "http")).toBe("blocked");
        expect(ask(ns.node, "http")).toBe("metadata");
      });

      it("a pod still reaches the VPC's resolver on port 53", () => {
        expect(ask(ns.pod, "dns")).toBe("dns?");
      });
    },
  );
});
