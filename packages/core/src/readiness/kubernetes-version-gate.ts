import { diffProperties } from "@minos/provider-kit";
import * as pulumi from "@pulumi/pulumi";
import { minosErrorMessage } from "../errors.js";
import { kubernetesStepRefusal, releaseOrder } from "../version-skew.js";
import type { ReadyzAttempt, ReadyzSchedule, ReadyzTarget } from "./api-readiness.js";
import { pollUntil } from "./api-readiness.js";
import type { ControlPlaneSeen } from "./control-plane-release.js";
import { askControlPlane, controlPlaneRuns } from "./control-plane-release.js";

// Bound to names of this module so that Pulumi, serializing the provider
// into its own process, copies them by value: a captured module would
// become a require() of a path @minos/core does not export.
const refusalOf = kubernetesStepRefusal;
const compare = releaseOrder;
const poll = pollUntil;
const ask = askControlPlane;
const runs = controlPlaneRuns;
const properties = diffProperties;
const invalid = minosErrorMessage;

/**
 * Why a running cluster cannot take the other `platformServices.controller`,
 * or nothing. Its nodes were registered the old way: with the controller
 * turned on, nodes named for their host and without a provider ID are
 * machines the controller cannot find, and its node lifecycle controller
 * deletes such Nodes; turned off, nodes still tainted uninitialized would
 * never be initialized.
 */
export function controllerSwitchRefusal(
  olds: Partial<VersionGateState> | undefined,
  news: Pick<VersionGateState, "externalCloudProvider">,
): string | undefined {
  if (typeof olds?.version !== "string") return undefined;
  const was = olds.externalCloudProvider === true;
  const asked = news.externalCloudProvider === true;
  if (was === asked) return undefined;
  return was
    ? "this cluster's kubelets run with the external cloud provider: without the controller, new nodes would stay tainted uninitialized; keep platformServices.controller true"
    : "this cluster's kubelets were started without the external cloud provider: the platform's controller would not find its nodes and would delete them from the cluster; set platformServices: { controller: false } to keep the cluster as it is, or make a new cluster to use the controller";
}
const switchRefusal = controllerSwitchRefusal;

/** What a KubernetesVersionGate records. */
export interface VersionGateState extends ReadyzTarget, ReadyzSchedule {
  /** The release the cluster asks for, and once the gate exists, runs. */
  version: string;
  /**
   * Whether the cluster's kubelets start with the external cloud provider
   * (`platformServices.controller`); absent from gates made before it was
   * recorded, whose clusters' kubelets started without.
   */
  externalCloudProvider?: boolean;
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
    () => ask(state, state.version),
    (seen) => runs(seen, state.version),
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
    const controller = switchRefusal(olds, news);
    return {
      inputs: news,
      failures: [
        ...(refusal
          ? [{ property: "version", reason: invalid("kubernetesVersion", news.version, refusal) }]
          : []),
        ...(controller
          ? [
              {
                property: "externalCloudProvider",
                reason: invalid(
                  "platformServices.controller",
                  news.externalCloudProvider === true,
                  controller,
                ),
              },
            ]
          : []),
      ],
    };
  },

  // A new cluster's API does not answer yet: nothing to wait for. A cluster
  // made before its gate (an older minos) answers with the release it runs,
  // which the one asked for must follow as a change would.
  async create(inputs: VersionGateState) {
    const { log }: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
    const first = await ask(inputs, inputs.version, 3000);
    const running = /^v(\d+\.\d+\.\d+)/.exec(first.reported)?.[1];
    let outs: VersionGateState = { ...inputs, waitedSeconds: 0 };
    if (running !== undefined) {
      const refusal =
        compare(running, inputs.version) < 0 ? refusalOf(running, inputs.version) : undefined;
      if (refusal) throw new Error(invalid("kubernetesVersion", inputs.version, refusal));
      // Made before its gate, so before the switch: its kubelets run without.
      const controller = switchRefusal({ version: running }, inputs);
      if (controller) throw new Error(invalid("platformServices.controller", true, controller));
      const seen = await waitForControlPlane(inputs, (a) => report(log, inputs, a));
      outs = { ...outs, reported: seen.reported, waitedSeconds: seen.elapsedSeconds };
    }
    return { id: "kubernetes-version", outs };
  },

  async diff(_id: string, olds: VersionGateState, news: VersionGateState) {
    return properties(olds, news, {
      version: "update",
      externalCloudProvider: "update",
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
  if (runs(seen, state.version)) return;
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
  /** Whether the cluster's kubelets start with the external cloud provider. */
  externalCloudProvider: boolean;
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
