import { LB_VOLUME } from "../probes/lb-volume.js";
import type { Manifest } from "../probes/manifest.js";
import type { PodJson } from "../probes/parse/pod-times.js";
import { podTrouble } from "../probes/parse/pod-times.js";
import type { HttpCheck } from "./http-check.js";
import { HTTP_CHECK, httpGet, ingressUrl } from "./http-check.js";
import type { Clock } from "./jobs.js";
import { pause } from "./jobs.js";
import type { KubeApi } from "./kube-api.js";
import type { ObjectJson, ObjectRef } from "./objects.js";
import {
  createObject,
  deleteObject,
  getObject,
  lastWord,
  objectName,
  refOf,
  waitGone,
} from "./objects.js";
import { failed, outcome } from "./outcome.js";
import type { CollectorPlan, ProbeOutcome } from "./plan.js";

/** The results this probe gives. */
export const VOLUME_PROBE = "volume-ready";
export const LB_PROBE = "load-balancer-answers";

interface ClaimJson extends ObjectJson {
  spec?: { volumeName?: string };
  status?: { phase?: string };
}
interface ServiceJson extends ObjectJson {
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/** One round: each part's sample or why it has none, and whether to stop. */
interface Round {
  volume?: number;
  volumeFailed?: string;
  lb?: number;
  lbFailed?: string;
  /** Nothing more can be measured: the pod never got Ready, something was left, the API failed. */
  stop?: boolean;
}

type Plan = Pick<CollectorPlan, "namespace" | "timeoutSeconds" | "lbVolume">;

const at = (time: string | undefined) => {
  const ms = Date.parse(time ?? "");
  return Number.isNaN(ms) ? undefined : ms;
};
const ready = (p: PodJson | undefined) =>
  (p?.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
const and = (a: string | undefined, b: string) => (a ? `${a}; ${b}` : b);
const since = (t0: number) => (Date.now() - t0) / 1000;

/**
 * Why the pod is not Ready: the claim not bound (with what its events last
 * said: `ProvisioningFailed`, `WaitForFirstConsumer`), the pod's own
 * trouble (unschedulable, a container waiting) and its last Warning
 * (`FailedAttachVolume`, `FailedMount`).
 */
async function notReady(
  api: KubeApi,
  plan: Plan,
  claim: ClaimJson | undefined,
  pod: PodJson | undefined,
): Promise<string> {
  const limit = plan.timeoutSeconds;
  const reasons: string[] = [];
  if (claim && claim.status?.phase !== "Bound") {
    const word = await lastWord(api, plan.namespace, claim.metadata?.uid);
    reasons.push(
      `claim ${LB_VOLUME} still ${claim.status?.phase ?? "Pending"} after ${limit} s${word ? `: ${word}` : ""}`,
    );
  }
  if (!ready(pod)) {
    const trouble = pod ? podTrouble(pod) : undefined;
    const word = await lastWord(api, plan.namespace, pod?.metadata?.uid);
    reasons.push(
      `${trouble ?? `pod ${LB_VOLUME} not Ready after ${limit} s`}${word ? `; ${word}` : ""}`,
    );
  }
  return reasons.join("; ");
}

/**
 * Deletes what a round made (the Service first, so the cloud's load balancer
 * goes while its controller runs; then the pod and the claim) and waits for
 * each to be gone, and for the claim's volume, which reclaim `Delete`
 * removes with its disk. Returns what is still there.
 */
async function remove(
  api: KubeApi,
  plan: Plan,
  made: ObjectRef[],
  clock: Clock,
): Promise<ObjectRef[]> {
  const claim = made.find((r) => r.kind === "PersistentVolumeClaim");
  const volume = claim ? (await getObject<ClaimJson>(api, claim))?.spec?.volumeName : undefined;
  for (const ref of [...made].reverse()) await deleteObject(api, ref);
  const pv: ObjectRef[] = volume ? [{ kind: "PersistentVolume", name: volume }] : [];
  return waitGone(api, [...made, ...pv], plan.timeoutSeconds, clock);
}

/** Polls the Service until its load balancer's address answers HTTP 200, at most the probe's time. */
async function loadBalancerAnswers(
  api: KubeApi,
  plan: Plan,
  service: Manifest,
  clock: Clock,
  http: HttpCheck,
): Promise<{ seconds?: number; failed?: string }> {
  const made = await createObject<ServiceJson>(api, service);
  // The collector's own clock at both ends: the answer comes to this process.
  const created = Date.now();
  let last = "";
  for (;;) {
    const now = await getObject<ServiceJson>(api, refOf(service));
    const ingress = now?.status?.loadBalancer?.ingress?.[0];
    const address = ingress?.ip || ingress?.hostname;
    if (address) {
      const got = await httpGet(ingressUrl(address, http.port), http.attemptSeconds);
      if (got.status === 200) return { seconds: Math.round(since(created) * 10) / 10 };
      last = got.error ?? `HTTP ${got.status}`;
    }
    if (since(created) + clock.intervalSeconds > plan.timeoutSeconds) {
      if (address)
        return {
          failed: `${ingressUrl(address, http.port)} gave no HTTP 200 in ${plan.timeoutSeconds} s (last: ${last})`,
        };
      const word = await lastWord(api, plan.namespace, made.metadata?.uid);
      return {
        failed: `${objectName(refOf(service))} got no load balancer address in ${plan.timeoutSeconds} s${word ? `: ${word}` : ""}`,
      };
    }
    await pause(clock);
  }
}

/**
 * One round: the claim and the pod made at once, waited for until the pod
 * is Ready and the claim Bound; the volume's sample from the API's own
 * timestamps (the claim's `creationTimestamp` to the container's
 * `startedAt`: the kubelet starts no container before the pod's volumes are
 * mounted). Then, with `withService`, the Service made and timed until its
 * address answers. Then everything deleted and waited for.
 */
async function round(
  api: KubeApi,
  plan: Plan,
  clock: Clock,
  http: HttpCheck,
  withService: boolean,
): Promise<Round> {
  const { claim, pod, service } = plan.lbVolume.objects;
  const out: Round = {};
  const made: ObjectRef[] = [];
  try {
    if (claim) {
      await createObject(api, claim);
      made.push(refOf(claim));
    }
    await createObject(api, pod);
    made.push(refOf(pod));
    const t0 = Date.now();
    let podNow: PodJson | undefined;
    let claimNow: ClaimJson | undefined;
    for (;;) {
      podNow = await getObject<PodJson>(api, refOf(pod));
      claimNow = claim ? await getObject<ClaimJson>(api, refOf(claim)) : undefined;
      if (ready(podNow) && (!claim || claimNow?.status?.phase === "Bound")) break;
      if (since(t0) + clock.intervalSeconds > plan.timeoutSeconds) {
        const why = await notReady(api, plan, claimNow, podNow);
        if (claim) out.volumeFailed = why;
        if (withService) out.lbFailed = `not measured: ${why}`;
        out.stop = true;
        return out;
      }
      await pause(clock);
    }
    if (claim) {
      const from = at(claimNow?.metadata?.creationTimestamp);
      const to = at(podNow?.status?.containerStatuses?.[0]?.state?.running?.startedAt);
      if (from === undefined || to === undefined)
        out.volumeFailed = `the API gave no ${from === undefined ? "creation time of the claim" : "start time of the container"}`;
      else out.volume = Math.max(0, (to - from) / 1000);
    }
    if (service && withService) {
      made.push(refOf(service));
      const lb = await loadBalancerAnswers(api, plan, service, clock, http);
      if (lb.seconds !== undefined) out.lb = lb.seconds;
      if (lb.failed) out.lbFailed = lb.failed;
    }
  } catch (e) {
    const reason = `the API: ${(e as Error).message}`;
    if (claim && out.volume === undefined) out.volumeFailed = and(out.volumeFailed, reason);
    if (withService && out.lb === undefined) out.lbFailed = and(out.lbFailed, reason);
    out.stop = true;
  } finally {
    try {
      const left = await remove(api, plan, made, clock);
      for (const ref of left) {
        const why = `${objectName(ref)} still there ${plan.timeoutSeconds} s after it was deleted`;
        // The Service is the load balancer's; the claim and its volume are the volume's; the pod is whichever was measured.
        if (ref.kind === "Service" || (ref.kind === "Pod" && !claim))
          out.lbFailed = and(out.lbFailed, why);
        else out.volumeFailed = and(out.volumeFailed, why);
        out.stop = true;
      }
    } catch (e) {
      const why = `could not delete ${made.map(objectName).join(", ")}: the API: ${(e as Error).message}`;
      if (claim) out.volumeFailed = and(out.volumeFailed, why);
      if (withService) out.lbFailed = and(out.lbFailed, why);
      out.stop = true;
    }
  }
  return out;
}

/**
 * The load balancer and volume probe: `rounds` rounds, one after another,
 * each making its own claim, pod and Service in the probes' namespace at
 * run time, timing them and deleting them. A part the cluster lacks is a
 * failed result saying so, and is not made. A round whose pod never gets
 * Ready, that leaves something behind, or whose API call fails ends the
 * probe; a load balancer that fails is not made again, while the volume's
 * rounds go on. Never throws.
 *
 * `http` is where the load balancer is checked: port 80 in every real run.
 */
export async function runLbVolume(
  api: KubeApi,
  plan: Plan,
  clock: Clock,
  log: (message: string) => void = () => {},
  http: HttpCheck = HTTP_CHECK,
): Promise<ProbeOutcome[]> {
  const { volumes, loadBalancers, rounds } = plan.lbVolume;
  const none = (probe: string, what: string) => failed(probe, [], `the cluster has no ${what}`);
  if (!volumes && !loadBalancers)
    return [none(VOLUME_PROBE, "volumes"), none(LB_PROBE, "load balancers")];
  const volume: number[] = [];
  const lb: number[] = [];
  let volumeFailed: string | undefined;
  let lbFailed: string | undefined;
  try {
    // What an earlier run left (a collector stopped half-way) goes first: the names are reused.
    const earlier: ObjectRef[] = (["Service", "Pod", "PersistentVolumeClaim"] as const).map(
      (kind) => ({ kind, name: LB_VOLUME, namespace: plan.namespace }),
    );
    const present: ObjectRef[] = [];
    for (const ref of earlier) if (await getObject(api, ref)) present.push(ref);
    const left = present.length > 0 ? await remove(api, plan, present.reverse(), clock) : [];
    if (left.length > 0) {
      const why = `an earlier run's ${left.map(objectName).join(", ")} still there after ${plan.timeoutSeconds} s`;
      volumeFailed = why;
      lbFailed = why;
    } else
      for (let i = 1; i <= rounds; i++) {
        log(`load balancer and volume, round ${i} of ${rounds}`);
        const r = await round(api, plan, clock, http, loadBalancers && lbFailed === undefined);
        if (r.volume !== undefined) volume.push(r.volume);
        if (r.lb !== undefined) lb.push(r.lb);
        if (r.volumeFailed && volumeFailed === undefined)
          volumeFailed = `round ${i}: ${r.volumeFailed}`;
        if (r.lbFailed && lbFailed === undefined) lbFailed = `round ${i}: ${r.lbFailed}`;
        if (r.stop && i < rounds) {
          // The part that did not fail says why it has fewer samples.
          const why = `no round after round ${i}: ${r.volumeFailed ?? r.lbFailed}`;
          volumeFailed = volumeFailed ?? why;
          lbFailed = lbFailed ?? why;
        }
        if (r.stop || (!volumes && lbFailed !== undefined)) break;
      }
  } catch (e) {
    const why = `the API: ${(e as Error).message}`;
    volumeFailed = volumeFailed ?? why;
    lbFailed = lbFailed ?? why;
  }
  return [
    volumes ? outcome(VOLUME_PROBE, volume, rounds, volumeFailed) : none(VOLUME_PROBE, "volumes"),
    loadBalancers ? outcome(LB_PROBE, lb, rounds, lbFailed) : none(LB_PROBE, "load balancers"),
  ];
}
