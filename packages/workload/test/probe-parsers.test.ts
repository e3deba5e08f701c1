/**
 * The collector's parsers, each fed what its source prints: real `dig`
 * (Debian's bind9-dnsutils) against a real dnsmasq, the posture script run
 * on this host, the kubelet's `Pulled` messages as its format strings
 * write them, pods and nodes shaped as the API writes them, and a Summary
 * shaped from the kubelet's `stats/v1alpha1` types.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { haveTool } from "../../../test/support/system-tools.js";
import { DNS_NAMES } from "../src/probes/dns.js";
import { POSTURE_SCRIPT } from "../src/probes/host-posture.js";
import { parseDigLog } from "../src/probes/parse/dig.js";
import { parseKubeletSummary } from "../src/probes/parse/kubelet-summary.js";
import type { PodJson } from "../src/probes/parse/pod-times.js";
import { podStart, podTrouble } from "../src/probes/parse/pod-times.js";
import { parsePostureLine } from "../src/probes/parse/posture.js";
import { goDurationSeconds, parsePulledMessage } from "../src/probes/parse/pulled-event.js";
import { quantity, reservedMemoryMib } from "../src/probes/parse/quantity.js";

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/probe-output/${name}`, import.meta.url), "utf8");

describe("parseDigLog", () => {
  it("reads each lookup's query time, and counts the ones without a NOERROR answer", () => {
    const dns = parseDigLog(fixture("dig-probe.log"));
    expect(Object.keys(dns.times)).toEqual([DNS_NAMES.service, DNS_NAMES.external]);
    expect(dns.times[DNS_NAMES.service]).toHaveLength(3);
    expect(dns.times[DNS_NAMES.external]).toHaveLength(3);
    for (const t of Object.values(dns.times).flat()) expect(t).toBeGreaterThanOrEqual(0);
    // The fourth round ran after the server stopped: "no servers could be reached".
    expect(dns.failures).toEqual({ [DNS_NAMES.service]: 1, [DNS_NAMES.external]: 1 });
  });

  const usable = haveTool("bind9-dnsutils", "dig") && haveTool("dnsmasq-base", "dnsmasq");
  it.runIf(usable)("counts a REFUSED answer from a real dnsmasq as a failure", async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const server = spawn("dnsmasq", [
      "--no-daemon",
      `--port=${port}`,
      "--listen-address=127.0.0.1",
      "--bind-interfaces",
      "--no-resolv",
      "--conf-file=/dev/null",
      `--address=/${DNS_NAMES.service}/10.96.0.1`,
    ]);
    try {
      await new Promise((r) => setTimeout(r, 500));
      const log = [DNS_NAMES.service, DNS_NAMES.external]
        .map((name) => {
          const dig = spawnSync(
            "dig",
            ["-p", port, "@127.0.0.1", "+tries=1", "+time=2", name, "A"],
            { encoding: "utf8" },
          );
          return `== ${name}\n${dig.stdout}${dig.stderr}`;
        })
        .join("");
      expect(log).toContain("status: REFUSED");
      const dns = parseDigLog(log);
      expect(dns.times[DNS_NAMES.service]).toHaveLength(1);
      expect(dns.times[DNS_NAMES.external]).toEqual([]);
      expect(dns.failures[DNS_NAMES.external]).toBe(1);
    } finally {
      server.kill();
    }
  });
});

describe("parsePulledMessage", () => {
  // kubernetes/kubernetes pkg/kubelet/images/image_manager.go:
  // "Successfully pulled image %q in %v (%v including waiting). Image size: %v bytes."
  it("reads the pull time, the time with waiting and the size, from the kubelet's message", () => {
    expect(
      parsePulledMessage(
        'Successfully pulled image "registry.k8s.io/e2e-test-images/nginx:1.15-4" in 3.482s (5.107s including waiting). Image size: 7362469 bytes.',
      ),
    ).toEqual({
      image: "registry.k8s.io/e2e-test-images/nginx:1.15-4",
      pullSeconds: 3.482,
      totalSeconds: 5.107,
      bytes: 7362469,
    });
    // Before 1.30 the sentence stopped at "including waiting)".
    expect(
      parsePulledMessage(
        'Successfully pulled image "nginx:1.15-4" in 845ms (1m2.5s including waiting)',
      ),
    ).toEqual({ image: "nginx:1.15-4", pullSeconds: 0.845, totalSeconds: 62.5 });
  });

  it("times nothing for an image already present, or any other text", () => {
    expect(parsePulledMessage('Container image "nginx:1.15-4" already present on machine')).toBe(
      undefined,
    );
    expect(
      parsePulledMessage('Successfully pulled image "x" in soon (later including waiting)'),
    ).toBe(undefined);
  });

  it("reads Go durations as time.Duration prints them", () => {
    expect(goDurationSeconds("0s")).toBe(0);
    expect(goDurationSeconds("1h2m3.5s")).toBe(3723.5);
    expect(goDurationSeconds("999µs")).toBe(0.001);
    expect(goDurationSeconds("1.5")).toBe(undefined);
  });
});

/** A pod of the pod-start probe as the API writes it: RFC 3339 to the second. */
const startedPod: PodJson = {
  metadata: { name: "pod-start-abcde", uid: "u1", creationTimestamp: "2026-11-26T10:05:00Z" },
  spec: { nodeName: "lab-worker-general-0" },
  status: {
    phase: "Running",
    conditions: [
      {
        type: "PodReadyToStartContainers",
        status: "True",
        lastTransitionTime: "2026-11-26T10:05:02Z",
      },
      { type: "Initialized", status: "True", lastTransitionTime: "2026-11-26T10:05:01Z" },
      { type: "Ready", status: "True", lastTransitionTime: "2026-11-26T10:05:04Z" },
      { type: "ContainersReady", status: "True", lastTransitionTime: "2026-11-26T10:05:04Z" },
      { type: "PodScheduled", status: "True", lastTransitionTime: "2026-11-26T10:05:01Z" },
    ],
    containerStatuses: [
      { name: "pause", state: { running: { startedAt: "2026-11-26T10:05:03Z" } } },
    ],
  },
};

describe("podStart and podTrouble", () => {
  it("times a pod from its creation to scheduled, running and ready", () => {
    expect(podStart(startedPod)).toEqual({
      pod: "pod-start-abcde",
      scheduled: 1,
      running: 3,
      ready: 4,
    });
    expect(podTrouble(startedPod)).toBe(undefined);
  });

  it("leaves out what a pod has not reached, and says why it did not start", () => {
    const pending: PodJson = {
      metadata: { name: "pod-start-fghij", creationTimestamp: "2026-11-26T10:05:00Z" },
      status: {
        phase: "Pending",
        conditions: [
          {
            type: "PodScheduled",
            status: "False",
            reason: "Unschedulable",
            message: "0/2 nodes are available: 2 Insufficient cpu.",
            lastTransitionTime: "2026-11-26T10:05:00Z",
          },
        ],
      },
    };
    expect(podStart(pending)).toEqual({ pod: "pod-start-fghij" });
    expect(podTrouble(pending)).toBe(
      "pod-start-fghij never scheduled: Unschedulable (0/2 nodes are available: 2 Insufficient cpu.)",
    );
    const pulling: PodJson = {
      metadata: { name: "dns-x" },
      status: {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "True" }],
        containerStatuses: [
          {
            name: "dig",
            state: {
              waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "x"' },
            },
          },
        ],
      },
    };
    expect(podTrouble(pulling)).toBe(
      'dns-x never started: ImagePullBackOff (Back-off pulling image "x")',
    );
  });
});

describe("parsePostureLine", () => {
  it.runIf(haveTool("bash", "bash"))(
    "reads the line the posture script prints on this host",
    () => {
      // The script with the host's root at / rather than the pod's /host.
      const run = spawnSync("bash", ["-c", POSTURE_SCRIPT.replace(/^h=\/host$/m, "h=")], {
        encoding: "utf8",
        env: { ...process.env, NODE_NAME: "this-host" },
      });
      expect(run.status).toBe(0);
      const parsed = parsePostureLine(run.stdout);
      expect(parsed).toMatchObject({ ok: true, posture: { node: "this-host" } });
      if (!parsed.ok) return;
      expect([1, 2]).toContain(parsed.posture.cgroupVersion);
      expect(parsed.posture.cmdline).toBe(readFileSync("/proc/cmdline", "utf8").trim());
    },
  );

  it("refuses a log without the line, or a line of other fields", () => {
    expect(parsePostureLine("bash: awk: command not found\n")).toEqual({
      ok: false,
      reason: "no posture line in the pod's log: bash: awk: command not found",
    });
    expect(
      parsePostureLine(
        '{"node":"n","rootWritable":"maybe","usrWritable":false,"selinux":"disabled","apparmor":"enabled","lockdown":"none","cgroupVersion":2,"cmdline":"","sshd":false}',
      ),
    ).toEqual({ ok: false, reason: "the posture line lacks or mistypes rootWritable" });
  });
});

describe("parseKubeletSummary", () => {
  it("reads the node's and the system containers' numbers in MiB and millicores", () => {
    expect(parseKubeletSummary(fixture("kubelet-summary.json"))).toEqual({
      node: "lab-worker-general-0",
      nodeMemory: 650,
      rootfsUsed: 3584,
      imagefsUsed: 1536,
      kubeletMemory: 50,
      runtimeMemory: 60,
      kubeletCpu: 23.5,
    });
  });

  it("leaves out what the kubelet left out, and refuses what is no summary", () => {
    expect(parseKubeletSummary('{"node":{"nodeName":"n"},"pods":[]}')).toEqual({ node: "n" });
    expect(() => parseKubeletSummary('{"pods":[]}')).toThrow("no node");
    expect(() => parseKubeletSummary("<html>")).toThrow();
  });
});

describe("quantity and reservedMemoryMib", () => {
  it("reads resource quantities as apimachinery writes them", () => {
    expect(quantity("8029464Ki")).toBe(8029464 * 1024);
    expect(quantity("3.5Gi")).toBe(3.5 * 2 ** 30);
    expect(quantity("128974848")).toBe(128974848);
    expect(quantity("1e3")).toBe(1000);
    expect(quantity("500m")).toBe(0.5);
    expect(quantity("12 apples")).toBe(undefined);
  });

  it("is capacity minus allocatable memory, in MiB", () => {
    expect(
      reservedMemoryMib({
        status: { capacity: { memory: "4025876Ki" }, allocatable: { memory: "3923476Ki" } },
      }),
    ).toBe(100);
    expect(reservedMemoryMib({ status: { capacity: {} } })).toBe(undefined);
  });
});
