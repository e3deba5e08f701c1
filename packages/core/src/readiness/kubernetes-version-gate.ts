import { diffProperties } from "@minos/provider-kit";
import * as pulumi from "@pulumi/pulumi";
import { minosErrorMessage } from "../errors.js";
import { kubernetesStepRefusal, releaseOrder } from "../version-skew.js";
import type { ReadyzAttempt, ReadyzSchedule, ReadyzTarget } from "./api-readiness.js";
import { pollUntil } from "./api-readiness.js";

// Bound to names of this module so that Pulumi, serializing the provider
// into its own process, copies them by value: a captured module would
// become a require() of a path @minos/core does not export.
const refusalOf = kubernetesStepRefusal;
const compare = releaseOrder;
const poll = pollUntil;
const properties = diffProperties;
const invalid = minosErrorMessage;

/** One kube-apiserver as its mirror pod reports it. */
export interface ApiServerSeen {
  /** The mirror pod, `kube-apiserver-<node>`. */
  pod: string;
  /** The release its image is tagged with, without `v`; undefined when the tag is no release. */
  version: string | undefined;
  ready: boolean;
}

/** What the control plane reported on one attempt. */
export interface ControlPlaneSeen {
  /** `/version`'s `gitVersion` (`v1.37.1`), or why there was none. */
  reported: string;
  /** Every kube-apiserver's mirror pod (kubeadm's and Talos's carry `component=kube-apiserver,tier=control-plane`). */
  apiServers: ApiServerSeen[];
  /** One line for progress and for the timeout error. */
  status: string;
}

/**
 * Asks the API server, as the admin, for `GET /version` and for every
 * kube-apiserver's mirror pod in kube-system. Self-contained (built-ins
 * only, through `require`) for the same reason as `pollReadyz`.
 */
export async function askControlPlane(
  target: ReadyzTarget,
  version: string,
  timeoutMs = 10_000,
): Promise<ControlPlaneSeen> {
  const https: typeof import("node:https") = require("node:https");
  const get = (path: string) =>
    new Promise<{ status: string; body?: string }>((resolve) => {
      const request = https.get(
        `${target.endpoint}${path}`,
        {
          ca: target.caCertPem,
          cert: target.clientCertPem,
          key: target.clientKeyPem,
          timeout: timeoutMs,
          agent: false,
        },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            body += chunk;
          });
          response.on("end", () =>
            resolve(
              response.statusCode === 200
                ? { status: "HTTP 200", body }
                : { status: `HTTP ${response.statusCode}` },
            ),
          );
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
      request.on("error", (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? e.message }));
    });
  const read = <T>(body: string | undefined): T | undefined => {
    try {
      return body === undefined ? undefined : (JSON.parse(body) as T);
    } catch {
      return undefined;
    }
  };
  const versionAnswer = await get("/version");
  const gitVersion = read<{ gitVersion?: unknown }>(versionAnswer.body)?.gitVersion;
  const reported =
    typeof gitVersion === "string" && gitVersion !== "" ? gitVersion : versionAnswer.status;
  // Without an API there is nothing to list (and a new cluster's create waits no longer).
  const podsAnswer =
    versionAnswer.status === "HTTP 200"
      ? await get(
          "/api/v1/namespaces/kube-system/pods?labelSelector=component%3Dkube-apiserver%2Ctier%3Dcontrol-plane",
        )
      : { status: "not asked", body: undefined };
  const pods =
    read<{
      items?: {
        metadata?: { name?: string };
        spec?: { containers?: { name?: string; image?: string }[] };
        status?: { conditions?: { type?: string; status?: string }[] };
      }[];
    }>(podsAnswer.body)?.items ?? [];
  const apiServers = pods
    .map((pod) => {
      const containers = pod.spec?.containers ?? [];
      const image = (containers.find((c) => c.name === "kube-apiserver") ?? containers[0])?.image;
      const tag = /:v(\d+\.\d+\.\d+)(?:@.*)?$/.exec(image ?? "")?.[1];
      return {
        pod: pod.metadata?.name ?? "",
        version: tag,
        ready: (pod.status?.conditions ?? []).some(
          (c) => c.type === "Ready" && c.status === "True",
        ),
      };
    })
    .sort((a, b) => (a.pod < b.pod ? -1 : a.pod > b.pod ? 1 : 0));
  const behind = apiServers.filter(
    (s) => !s.ready || (s.version !== undefined && compare(s.version, version) < 0),
  );
  const servers =
    podsAnswer.status !== "HTTP 200"
      ? `kube-apiserver pods: ${podsAnswer.status}`
      : `kube-apiserver at ${version} or later and Ready on ${apiServers.length - behind.length} of ${apiServers.length} nodes` +
        (behind.length > 0
          ? ` (not yet: ${behind
              .slice(0, 3)
              .map(
                (s) =>
                  `${s.pod} ${s.version ? `v${s.version}` : "untagged"}${s.ready ? "" : " not Ready"}`,
              )
              .join(", ")}${behind.length > 3 ? ", ..." : ""})`
          : "");
  return { reported, apiServers, status: `/version ${reported}; ${servers}` };
}

/**
 * Whether the control plane runs `version` or later: `/version` says so,
 * and every kube-apiserver (through the load balancer, `/version` answers
 * from one of them) is Ready on a release no older (an image tagged with
 * no release is not held against it).
 */
export function controlPlaneRuns(seen: ControlPlaneSeen, version: string): boolean {
  return (
    /^v\d+\.\d+\.\d+/.test(seen.reported) &&
    compare(seen.reported, version) >= 0 &&
    seen.apiServers.length > 0 &&
    seen.apiServers.every(
      (s) => s.ready && (s.version === undefined || compare(s.version, version) >= 0),
    )
  );
}

/** What a KubernetesVersionGate records. */
export interface VersionGateState extends ReadyzTarget, ReadyzSchedule {
  /** The release the cluster asks for, and once the gate exists, runs. */
  version: string;
  /** What moves a running control plane on this OS: logged while waiting, named on timeout. */
  upgradeHint: string;
  /** `/version` when the gate last looked, if it looked. */
  reported?: string;
  /** Seconds the last change waited for the control plane. */
  waitedSeconds?: number;
}

/** The control plane's answers while a gate waits, logged as Pulumi shows a resource's progress. */
type Progress = (seen: ControlPlaneSeen & ReadyzAttempt) => void;

/**
 * Waits until the control plane runs `state.version` or later, or throws
 * after `timeoutSeconds` naming what it saw and what moves it.
 */
export async function waitForControlPlane(
  state: VersionGateState,
  progress: Progress = () => {},
): Promise<ControlPlaneSeen & ReadyzAttempt> {
  return poll(
    () => askControlPlane(state, state.version),
    (seen) => controlPlaneRuns(seen, state.version),
    state,
    progress,
    (seen) =>
      `minos: the control plane at ${state.endpoint} does not run Kubernetes ${state.version} after ${seen.elapsedSeconds} s (${seen.attempt} attempts); last seen: ${seen.status}. ${state.upgradeHint}. Then run pulumi up again: worker pools take ${state.version} only once the control plane runs it (see "Upgrading" in the minos README).`,
  );
}

/**
 * The dynamic provider. It captures only what this module binds by value
 * (see above), so Pulumi can serialize it whole into its own process.
 */
export const kubernetesVersionGateProvider: pulumi.dynamic.ResourceProvider = {
  // Runs in preview, before anything changes: a release the running
  // cluster cannot take in one step fails the preview.
  async check(olds: Partial<VersionGateState>, news: VersionGateState) {
    const from = olds?.version;
    const refusal =
      typeof from === "string" && typeof news.version === "string" && from !== news.version
        ? refusalOf(from, news.version)
        : undefined;
    return {
      inputs: news,
      failures: refusal
        ? [
            {
              property: "version",
              reason: invalid("kubernetesVersion", news.version, refusal),
            },
          ]
        : [],
    };
  },

  // A new cluster's API does not answer yet: nothing to wait for. A cluster
  // made before its gate (an older minos) answers with the release it runs,
  // which the one asked for must follow as a change would.
  async create(inputs: VersionGateState) {
    const { log }: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
    const first = await askControlPlane(inputs, inputs.version, 3000);
    const running = /^v(\d+\.\d+\.\d+)/.exec(first.reported)?.[1];
    let outs: VersionGateState = { ...inputs, waitedSeconds: 0 };
    if (running !== undefined) {
      const refusal =
        compare(running, inputs.version) < 0 ? refusalOf(running, inputs.version) : undefined;
      if (refusal) throw new Error(invalid("kubernetesVersion", inputs.version, refusal));
      const seen = await waitForControlPlane(inputs, (a) => report(log, inputs, a));
      outs = { ...outs, reported: seen.reported, waitedSeconds: seen.elapsedSeconds };
    }
    return { id: "kubernetes-version", outs };
  },

  async diff(_id: string, olds: VersionGateState, news: VersionGateState) {
    return properties(olds, news, {
      version: "update",
      endpoint: "update",
      caCertPem: "update",
      clientCertPem: "update",
      clientKeyPem: "update",
      timeoutSeconds: "update",
      intervalSeconds: "update",
      upgradeHint: "ignore",
      reported: "ignore",
      waitedSeconds: "ignore",
    });
  },

  // A new release is recorded once the control plane runs it; anything else
  // (a renewed certificate, a timeout) is only recorded.
  async update(_id: string, olds: VersionGateState, news: VersionGateState) {
    if (olds.version === news.version)
      return { outs: { ...news, reported: olds.reported, waitedSeconds: olds.waitedSeconds } };
    const refusal = refusalOf(olds.version, news.version);
    if (refusal) throw new Error(invalid("kubernetesVersion", news.version, refusal));
    const { log }: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
    const seen = await waitForControlPlane(news, (a) => report(log, news, a));
    return { outs: { ...news, reported: seen.reported, waitedSeconds: seen.elapsedSeconds } };
  },
};

/** Logs the first answer and every sixth while the gate waits, and none once it need not. */
function report(
  log: typeof pulumi.log,
  state: VersionGateState,
  seen: ControlPlaneSeen & ReadyzAttempt,
): void {
  if (controlPlaneRuns(seen, state.version)) return;
  if (seen.attempt === 1 || seen.attempt % 6 === 0)
    log.info(
      `waiting for the control plane to run Kubernetes ${state.version}: attempt ${seen.attempt}, ${seen.elapsedSeconds} s, ${seen.status}. ${state.upgradeHint}.`,
    );
}

/** Arguments of a KubernetesVersionGate. */
export interface KubernetesVersionGateArgs {
  /** `https://host:port` of the cluster's API. */
  endpoint: pulumi.Input<string>;
  caCertPem: pulumi.Input<string>;
  /** The admin client certificate the readiness gates use. */
  clientCertPem: pulumi.Input<string>;
  clientKeyPem: pulumi.Input<string>;
  /** The Kubernetes release the cluster asks for, `major.minor.patch`. */
  version: string;
  /** What moves a running control plane on the cluster's OS, as an instruction (`NodeOs.controlPlaneUpgrade`). */
  upgradeHint: string;
  /** How long a change waits for the control plane. Default 1200. */
  timeoutSeconds?: number;
  /** Seconds between attempts. Default 10. */
  intervalSeconds?: number;
}

/**
 * The Kubernetes release a cluster's control plane runs, recorded. Made
 * with a cluster at no cost (a new cluster's API does not answer yet, so
 * nothing is waited for); from then on, a change of release that skips a
 * minor or goes back fails `pulumi preview` (its check), and any other
 * waits until every kube-apiserver runs it before the gate takes it. Worker
 * machines and joining node groups take their release through the gate, so
 * they follow the control plane and never lead it.
 */
export class KubernetesVersionGate extends pulumi.dynamic.Resource {
  /** The release the control plane is known to run, e.g. `1.37.1`. */
  declare readonly version: pulumi.Output<string>;
  /** `/version`'s answer when the gate last looked (`v1.37.1`), if it did. */
  declare readonly reported: pulumi.Output<string | undefined>;
  /** Seconds the last change of release waited for the control plane. */
  declare readonly waitedSeconds: pulumi.Output<number | undefined>;

  constructor(name: string, args: KubernetesVersionGateArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      kubernetesVersionGateProvider,
      name,
      {
        ...args,
        timeoutSeconds: args.timeoutSeconds ?? 1200,
        intervalSeconds: args.intervalSeconds ?? 10,
        reported: undefined,
        waitedSeconds: undefined,
      },
      { ...opts, additionalSecretOutputs: ["clientKeyPem"] },
      "minos",
      "KubernetesVersionGate",
    );
  }
}
