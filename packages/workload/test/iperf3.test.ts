/**
 * The iperf3 parser fed Debian's real iperf3: a server in one network
 * namespace, the client (`-J`, as the probe runs it) in another, joined by
 * a veth pair; and the client's own JSON when nothing listens.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canUseNetns } from "../../../test/support/metadata-netns.js";
import { haveTool } from "../../../test/support/system-tools.js";
import { parseIperf3 } from "../src/probes/parse/iperf3.js";

const usable = canUseNetns() && haveTool("iperf3", "iperf3");
const id = randomBytes(3).toString("hex");
const ns = { server: `minos-srv-${id}`, client: `minos-cli-${id}` };
const inNs = (name: string, ...cmd: string[]) =>
  spawnSync("ip", ["netns", "exec", name, ...cmd], { encoding: "utf8", timeout: 30_000 });

describe.runIf(usable)("parseIperf3 on Debian's iperf3", () => {
  beforeAll(() => {
    const ip = (...args: string[]) => execFileSync("ip", args);
    for (const n of Object.values(ns)) ip("netns", "add", n);
    ip(
      "link",
      "add",
      `s${id}`,
      "netns",
      ns.server,
      "type",
      "veth",
      "peer",
      "name",
      `c${id}`,
      "netns",
      ns.client,
    );
    inNs(ns.server, "ip", "addr", "add", "10.245.0.1/24", "dev", `s${id}`);
    inNs(ns.client, "ip", "addr", "add", "10.245.0.2/24", "dev", `c${id}`);
    for (const [n, dev] of [
      [ns.server, `s${id}`],
      [ns.client, `c${id}`],
    ] as const) {
      inNs(n, "ip", "link", "set", dev, "up");
      inNs(n, "ip", "link", "set", "lo", "up");
    }
  });
  afterAll(() => {
    for (const n of Object.values(ns)) spawnSync("ip", ["netns", "del", n]);
  });

  it("reads every interval's throughput of a real run", async () => {
    const server = spawn("ip", ["netns", "exec", ns.server, "iperf3", "-s", "-1", "-p", "5201"]);
    await new Promise((r) => setTimeout(r, 500));
    const run = inNs(
      ns.client,
      "iperf3",
      "-c",
      "10.245.0.1",
      "-p",
      "5201",
      "-J",
      "-t",
      "3",
      "--connect-timeout",
      "3000",
    );
    server.kill();
    expect(run.status, run.stderr).toBe(0);
    const outcome = parseIperf3(run.stdout);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.samples).toHaveLength(3);
    for (const s of outcome.samples) expect(s).toBeGreaterThan(10);
    expect(outcome.receivedMbits).toBeGreaterThan(10);
  });

  it("turns a client that reached nothing into a reason", () => {
    const run = inNs(
      ns.client,
      "iperf3",
      "-c",
      "10.245.0.1",
      "-p",
      "5299",
      "-J",
      "-t",
      "1",
      "--connect-timeout",
      "1000",
    );
    // iperf3 3.12 exits 0 here with -J: only its JSON's `error` tells (the probe's client checks it).
    expect(run.stdout).toContain('"error"');
    expect(parseIperf3(run.stdout)).toEqual({
      ok: false,
      reason: expect.stringMatching(/^iperf3: unable to connect to server/),
    });
  });
});

describe("parseIperf3", () => {
  it("turns output that is no iperf3 JSON into a reason", () => {
    expect(parseIperf3("sh: iperf3: not found\n")).toEqual({
      ok: false,
      reason: "no iperf3 JSON in the client's output: sh: iperf3: not found",
    });
  });
});
