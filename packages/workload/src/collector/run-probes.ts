import { PROBES } from "../probes/catalog.js";
import type { Manifest } from "../probes/manifest.js";
import { parseDigLog } from "../probes/parse/dig.js";
import { parseIperf3 } from "../probes/parse/iperf3.js";
import type { PodJson } from "../probes/parse/pod-times.js";
import { podStart } from "../probes/parse/pod-times.js";
import type { Posture } from "../probes/parse/posture.js";
import { parsePostureLine } from "../probes/parse/posture.js";
import { parsePulledMessage } from "../probes/parse/pulled-event.js";
import { readFootprint } from "./footprint.js";
import type { HttpCheck } from "./http-check.js";
import { HTTP_CHECK } from "./http-check.js";
import type { Clock } from "./jobs.js";
import { pause, podLog } from "./jobs.js";
import type { KubeApi } from "./kube-api.js";
import { runLbVolume } from "./lb-volume.js";
import { failed, ok, outcome } from "./outcome.js";
import type { CollectorPlan, ProbeOutcome } from "./plan.js";
import type { Step, StepOutcome } from "./step.js";
import { cleanUp, runStep } from "./step.js";

/** Every result, and what the host posture pods said of each node (facts, not numbers). */
export interface Collected {
  results: ProbeOutcome[];
  posture: Posture[];
}

const ready = (p: PodJson) =>
  (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

/** The network paths, each with the probe name its result carries. */
const PATHS: [string, string][] = [
  ["same-node", "pod-network-same-node"],
  ["cross-node", "pod-network"],
  ["service", "pod-network-service"],
];

/**
 * Runs every probe in the cluster, one after another so none disturbs
 * another's timing, and reads each one's results: pod start, image pull,
 * DNS, the three network paths, host posture, the footprint (which runs
 * nothing), then the load balancer and volume probe, which makes its own
 * objects. `http` is where it checks a load balancer (port 80; a test's
 * stand-in gives another). A probe that fails, times out, or whose output cannot be
 * read is a failed result with its reason; this never throws for one.
 */
export async function runProbes(
  api: KubeApi,
  plan: CollectorPlan,
  clock: Clock,
  log: (message: string) => void = () => {},
  http: HttpCheck = HTTP_CHECK,
): Promise<Collected> {
  const job = (name: string): Manifest => {
    const m = plan.jobs.find((j) => j.metadata.name === name);
    if (!m) throw new Error(`no probe Job named ${name} in the collector's plan`);
    return m;
  };
  const step = (names: string[], main: string, until?: Step["until"]): Step => ({
    jobs: names.map(job),
    main,
    timeoutSeconds: plan.timeoutSeconds + plan.graceSeconds,
    ...(until && { until }),
  });
  const results: ProbeOutcome[] = [];
  let posture: Posture[] = [];
  /** Runs a step and reads it; the API failing makes every one of `probes` a failed result. */
  const run = async (
    probes: string[],
    s: Step,
    read: (o: StepOutcome) => Promise<ProbeOutcome[]>,
  ) => {
    log(`running ${probes.join(", ")}`);
    try {
      results.push(...(await read(await runStep(api, s, clock))));
    } catch (e) {
      results.push(...probes.map((p) => failed(p, [], `the API: ${(e as Error).message}`)));
    } finally {
      await cleanUp(api, s, clock, log);
    }
  };

  await run(
    ["pod-scheduled", "pod-running", "pod-start"],
    step(["pod-start"], "pod-start", (pods) => pods.length >= plan.pods && pods.every(ready)),
    async (o) => {
      const starts = o.pods.map(podStart);
      const of = (k: "scheduled" | "running" | "ready") =>
        starts.map((s) => s[k]).filter((v): v is number => v !== undefined);
      return [
        outcome("pod-scheduled", of("scheduled"), plan.pods, o.failed),
        outcome("pod-running", of("running"), plan.pods, o.failed),
        outcome("pod-start", of("ready"), plan.pods, o.failed),
      ];
    },
  );

  await run(["image-pull"], step(["image-pull"], "image-pull"), async (o) => {
    const uids = new Set(o.pods.map((p) => p.metadata?.uid));
    let samples: number[] = [];
    // The kubelet records events asynchronously: give the last ones a moment.
    for (let i = 0; i < 3; i++) {
      const events = await api.getJson<{
        items?: { involvedObject?: { uid?: string }; message?: string }[];
      }>(
        `/api/v1/namespaces/${plan.namespace}/events?fieldSelector=${encodeURIComponent("reason=Pulled")}`,
      );
      samples = (events.items ?? [])
        .filter((e) => uids.has(e.involvedObject?.uid))
        .map((e) => parsePulledMessage(e.message ?? "")?.pullSeconds)
        .filter((v): v is number => v !== undefined);
      if (samples.length >= plan.nodes) break;
      await pause(clock);
    }
    return [outcome("image-pull", samples, plan.nodes, o.failed)];
  });

  await run(["dns-service", "dns-external", "dns-failures"], step(["dns"], "dns"), async (o) => {
    const pod = o.pods[0]?.metadata?.name;
    const got = pod ? await podLog(api, plan.namespace, pod, "dig") : undefined;
    if (!got?.ok) {
      const reason = o.failed ?? (got && !got.ok ? got.reason : "no DNS pod");
      return ["dns-service", "dns-external", "dns-failures"].map((p) => failed(p, [], reason));
    }
    const dns = parseDigLog(got.log);
    const names = Object.keys(dns.times);
    const [service = "", external = ""] = names;
    const failures = names.reduce((n, name) => n + (dns.failures[name] ?? 0), 0);
    const lookups = (name: string) => (dns.times[name]?.length ?? 0) + (dns.failures[name] ?? 0);
    return [
      outcome("dns-service", dns.times[service] ?? [], 1, o.failed),
      outcome("dns-external", dns.times[external] ?? [], 1, o.failed),
      names.length > 0 && lookups(service) > 0
        ? ok("dns-failures", [failures])
        : failed("dns-failures", [], o.failed ?? "the DNS pod's log holds no lookup"),
    ];
  });

  for (const [path, probe] of PATHS) {
    const client = `iperf3-client-${path}`;
    await run([probe], step([`iperf3-server-${path}`, client], client), async (o) => {
      const pod = o.pods[0]?.metadata?.name;
      const got = pod ? await podLog(api, plan.namespace, pod, "iperf3") : undefined;
      if (!got?.ok)
        return [failed(probe, [], o.failed ?? (got && !got.ok ? got.reason : "no client pod"))];
      const parsed = parseIperf3(got.log);
      if (!parsed.ok)
        return [failed(probe, [], o.failed ? `${o.failed}; ${parsed.reason}` : parsed.reason)];
      return [outcome(probe, parsed.samples, 1, o.failed)];
    });
  }

  const flags: [string, (p: Posture) => boolean][] = [
    ["root-writable", (p) => p.rootWritable === true],
    ["usr-writable", (p) => p.usrWritable === true],
    ["sshd-present", (p) => p.sshd],
    ["selinux-enforcing", (p) => p.selinux === "enforcing"],
    ["lockdown-on", (p) => p.lockdown === "integrity" || p.lockdown === "confidentiality"],
  ];
  await run(
    flags.map(([name]) => name),
    step(["host-posture"], "host-posture"),
    async (o) => {
      const reasons: string[] = o.failed ? [o.failed] : [];
      const seen: Posture[] = [];
      for (const p of o.pods) {
        const name = p.metadata?.name ?? "";
        const got = await podLog(api, plan.namespace, name, "read");
        if (!got.ok) {
          reasons.push(got.reason);
          continue;
        }
        const parsed = parsePostureLine(got.log);
        if (parsed.ok) seen.push(parsed.posture);
        else reasons.push(`${name}: ${parsed.reason}`);
      }
      posture = seen.sort((a, b) => (a.node < b.node ? -1 : 1));
      if (seen.length < plan.nodes && reasons.length === 0)
        reasons.push(`${seen.length} of ${plan.nodes} nodes reported`);
      return flags.map(([name, has]) =>
        reasons.length === 0 || seen.length > 0
          ? outcome(name, [seen.filter(has).length], 1, reasons[0])
          : failed(name, [], reasons.join("; ")),
      );
    },
  );

  log("reading the footprint");
  results.push(...(await readFootprint(api, plan, clock)));
  // Last, so nothing it sets going (a disk, a load balancer, their deletion) overlaps another probe.
  results.push(...(await runLbVolume(api, plan, clock, log, http)));
  // In the catalog's order, the order a report shows them.
  const order = Object.keys(PROBES);
  results.sort((a, b) => order.indexOf(a.probe) - order.indexOf(b.probe));
  return { results, posture };
}
