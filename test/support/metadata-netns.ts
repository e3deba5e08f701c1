import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { GCE_METADATA_ADDRESS } from "@minos/core/render";
import { haveTool } from "./system-tools.js";

/** Three network namespaces: a pod (10.244.0.2) routed through a node to a GCE metadata server. */
export interface MetadataNetns {
  /** The namespaces' names. */
  ns: { node: string; pod: string; meta: string };
  /** Runs a command in a namespace, returning its stdout. */
  inNs(name: string, ...cmd: string[]): string;
  /** What the metadata server answers `from` a namespace, or "blocked". */
  ask(from: string, what: "http" | "dns"): string;
  /** Deletes the namespaces and stops the server. */
  close(): void;
}

/**
 * Whether namespaces can be made here: as root, with `ip`. Under CI=true,
 * where both must be there, their absence fails instead of skipping.
 */
export function canUseNetns(): boolean {
  if (!haveTool("ip", "ip")) return false;
  if (process.getuid?.() === 0) return true;
  if (process.env.CI === "true")
    throw new Error("the real-packet tests need root (network namespaces) under CI=true");
  console.warn("\n!!! SKIPPING real-packet tests: network namespaces need root.\n");
  return false;
}

/**
 * Builds the topology a GCE node sits in: pod → node (forwarding) →
 * metadata server, which answers HTTP on 80 and echoes DNS-shaped UDP on
 * 53. Rules loaded in the node's namespace see the pod's packets in
 * PREROUTING, and the node's own in OUTPUT, as on a real node.
 */
export async function metadataNetns(): Promise<MetadataNetns> {
  const id = randomBytes(3).toString("hex");
  const ns = { node: `minos-node-${id}`, pod: `minos-pod-${id}`, meta: `minos-meta-${id}` };
  const servers: ChildProcess[] = [];
  const inNs = (name: string, ...cmd: string[]) =>
    execFileSync("ip", ["netns", "exec", name, ...cmd], { encoding: "utf8" });
  const ip = (...args: string[]) => execFileSync("ip", args);
  const close = () => {
    for (const s of servers) s.kill();
    for (const n of Object.values(ns)) spawnSync("ip", ["netns", "del", n]);
  };
  try {
    for (const n of Object.values(ns)) ip("netns", "add", n);
    const veth = (a: string, aNs: string, b: string, bNs: string) =>
      ip("link", "add", a, "netns", aNs, "type", "veth", "peer", "name", b, "netns", bNs);
    veth(`p${id}`, ns.pod, `n${id}`, ns.node);
    veth(`m${id}`, ns.meta, `g${id}`, ns.node);
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
    const server = `
      const http = require("node:http"), dgram = require("node:dgram");
      http.createServer((_, res) => res.end("metadata")).listen(80, "${GCE_METADATA_ADDRESS}");
      const dns = dgram.createSocket("udp4");
      dns.on("message", (m, r) => dns.send(m, r.port, r.address));
      dns.bind(53, "${GCE_METADATA_ADDRESS}", () => console.log("ready"));`;
    const child = spawn("ip", ["netns", "exec", ns.meta, process.execPath, "-e", server]);
    servers.push(child);
    await new Promise((resolve) => child.stdout?.once("data", resolve));
  } catch (error) {
    close();
    throw error;
  }

  const ask = (from: string, what: "http" | "dns") => {
    const client =
      what === "http"
        ? `require("node:http").get("http://${GCE_METADATA_ADDRESS}/", (r) => r.on("data", (d) => { console.log(String(d)); process.exit(0); })).on("error", () => {}); setTimeout(() => { console.log("blocked"); process.exit(0); }, 1500);`
        : `const s = require("node:dgram").createSocket("udp4"); s.on("message", (m) => { console.log(String(m)); process.exit(0); }); s.send("dns?", 53, "${GCE_METADATA_ADDRESS}"); setTimeout(() => { console.log("blocked"); process.exit(0); }, 1500);`;
    return inNs(from, process.execPath, "-e", client).trim();
  };
  return { ns, inNs, ask, close };
}
