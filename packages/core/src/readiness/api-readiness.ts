import * as pulumi from "@pulumi/pulumi";

/** Where and as whom to ask the API server whether it is ready. */
export interface ReadyzTarget {
  /** `https://host:port` */
  endpoint: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
}

/** How long to keep asking. */
export interface ReadyzSchedule {
  timeoutSeconds: number;
  intervalSeconds: number;
}

/** A readiness gate's schedule, and where to look when it times out (`readinessTroubleshooting`), appended to the error. */
export interface GateSchedule extends ReadyzSchedule {
  troubleshooting?: string;
}

/** The last answer seen, for progress and for the timeout error. */
export interface ReadyzAttempt {
  attempt: number;
  elapsedSeconds: number;
  status: string;
}

/**
 * Polls `GET /readyz` over mutual TLS until it answers 200, or throws after
 * `timeoutSeconds` with the last status seen.
 *
 * It lives in the provider's module and loads only built-in modules with
 * `require`, because Pulumi serializes the provider with everything it
 * references and runs it in another process.
 */
export async function pollReadyz(
  target: ReadyzTarget,
  schedule: GateSchedule,
  progress: (a: ReadyzAttempt) => void = () => {},
): Promise<ReadyzAttempt> {
  const https: typeof import("node:https") = require("node:https");
  const ask = () =>
    new Promise<string>((resolve) => {
      const request = https.get(
        `${target.endpoint}/readyz`,
        {
          ca: target.caCertPem,
          cert: target.clientCertPem,
          key: target.clientKeyPem,
          timeout: 10_000,
        },
        (response) => {
          response.resume();
          resolve(`HTTP ${response.statusCode}`);
        },
      );
      request.on("timeout", () => request.destroy(new Error("no answer in 10 s")));
      request.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
  return pollUntil(
    async () => ({ status: await ask() }),
    (seen) => seen.status === "HTTP 200",
    schedule,
    progress,
    (seen) =>
      `minos: the API server at ${target.endpoint} was not ready after ${seen.elapsedSeconds} s (${seen.attempt} attempts); last status: ${seen.status}${schedule.troubleshooting ? `; ${schedule.troubleshooting}` : ""}`,
  );
}

/**
 * Asks until `done` says so, every `intervalSeconds`, reporting each answer;
 * throws `failure(last answer)` once the next attempt would pass the timeout.
 * Self-contained, so a provider in another module may capture it by value.
 */
export async function pollUntil<T extends { status: string }>(
  ask: () => Promise<T>,
  done: (seen: T & ReadyzAttempt) => boolean,
  schedule: ReadyzSchedule,
  progress: (seen: T & ReadyzAttempt) => void,
  failure: (seen: T & ReadyzAttempt) => string,
): Promise<T & ReadyzAttempt> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const answer = await ask();
    const elapsedSeconds = Math.round((Date.now() - started) / 100) / 10;
    const seen = { ...answer, attempt, elapsedSeconds };
    progress(seen);
    if (done(seen)) return seen;
    if (elapsedSeconds + schedule.intervalSeconds > schedule.timeoutSeconds)
      throw new Error(failure(seen));
    await new Promise((r) => setTimeout(r, schedule.intervalSeconds * 1000));
  }
}

/** One node as the API reports it: what an OS comparison reads. */
export interface NodeInventory {
  name: string;
  role: "control-plane" | "worker";
  osImage: string;
  kernelVersion: string;
  containerRuntime: string;
  kubeletVersion: string;
  architecture: string;
  ready: boolean;
  /** When the node last became Ready (its Ready condition's transition time). */
  readySince?: string;
}

/** Reads a `GET /api/v1/nodes` body (a v1 NodeList) into an inventory, sorted by name. */
export function parseNodes(body: string): NodeInventory[] {
  const list = JSON.parse(body) as {
    items?: {
      metadata?: { name?: string; labels?: Record<string, string> };
      status?: {
        nodeInfo?: Record<string, string>;
        conditions?: { type?: string; status?: string; lastTransitionTime?: string }[];
      };
    }[];
  };
  return (list.items ?? [])
    .map((item) => {
      const info = item.status?.nodeInfo ?? {};
      const readyCondition = item.status?.conditions?.find((c) => c.type === "Ready");
      const ready = readyCondition?.status === "True";
      const labels = item.metadata?.labels ?? {};
      return {
        name: item.metadata?.name ?? "",
        role:
          "node-role.kubernetes.io/control-plane" in labels
            ? ("control-plane" as const)
            : ("worker" as const),
        osImage: info.osImage ?? "",
        kernelVersion: info.kernelVersion ?? "",
        containerRuntime: info.containerRuntimeVersion ?? "",
        kubeletVersion: info.kubeletVersion ?? "",
        architecture: info.architecture ?? "",
        ready,
        ...(ready &&
          readyCondition?.lastTransitionTime && {
            readySince: readyCondition.lastTransitionTime,
          }),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The last node count seen, for progress and for the timeout error. */
export interface NodesAttempt extends ReadyzAttempt {
  nodes: NodeInventory[];
}

/**
 * Polls `GET /api/v1/nodes` as the admin until `expected` nodes report Ready,
 * or throws after `timeoutSeconds` with the last count seen. Self-contained
 * like `pollReadyz`, for the same reason.
 */
export async function pollNodes(
  target: ReadyzTarget,
  schedule: GateSchedule,
  expected: number,
  progress: (a: NodesAttempt) => void = () => {},
): Promise<NodesAttempt> {
  const https: typeof import("node:https") = require("node:https");
  const ask = () =>
    new Promise<{ status: string; nodes: NodeInventory[] }>((resolve) => {
      const request = https.get(
        `${target.endpoint}/api/v1/nodes`,
        {
          ca: target.caCertPem,
          cert: target.clientCertPem,
          key: target.clientKeyPem,
          timeout: 10_000,
        },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            body += chunk;
          });
          response.on("end", () => {
            if (response.statusCode !== 200)
              return resolve({ status: `HTTP ${response.statusCode}`, nodes: [] });
            try {
              const nodes = parseNodes(body);
              const ready = nodes.filter((n) => n.ready).length;
              resolve({ status: `nodes ready ${ready}/${expected}`, nodes });
            } catch (e) {
              resolve({ status: `unreadable node list: ${(e as Error).message}`, nodes: [] });
            }
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error("no answer in 10 s")));
      request.on("error", (e: NodeJS.ErrnoException) =>
        resolve({ status: e.code ?? e.message, nodes: [] }),
      );
    });
  return pollUntil(
    ask,
    (seen) => seen.nodes.filter((n) => n.ready).length >= expected,
    schedule,
    progress,
    (seen) =>
      `minos: ${expected} nodes of ${target.endpoint} were not Ready after ${seen.elapsedSeconds} s (${seen.attempt} attempts); last status: ${seen.status}${schedule.troubleshooting ? `; ${schedule.troubleshooting}` : ""}`,
  );
}

interface State extends ReadyzTarget, GateSchedule {
  /** `api`: /readyz answers 200. `nodes`: then `expectedNodes` nodes report Ready. */
  waitFor: "api" | "nodes";
  expectedNodes: number;
  /** Seconds from creation until the API answered ready. */
  readySeconds?: number;
  attempts?: number;
  /** Seconds from creation until the nodes were Ready (waitFor `nodes`). */
  nodesReadySeconds?: number;
  /** The nodes as the API reported them then (waitFor `nodes`). */
  nodes?: NodeInventory[];
}

/**
 * The dynamic provider. It captures nothing but `pollReadyz`, from this
 * module, so Pulumi can serialize it into its own process.
 */
export const apiReadinessProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: State) {
    const { log }: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
    const seen = await pollReadyz(inputs, inputs, (a) => {
      if (a.attempt === 1 || a.attempt % 6 === 0) {
        log.info(
          `waiting for ${inputs.endpoint}/readyz: attempt ${a.attempt}, ${a.elapsedSeconds} s, ${a.status}`,
        );
      }
    });
    const outs: State = { ...inputs, readySeconds: seen.elapsedSeconds, attempts: seen.attempt };
    if (inputs.waitFor === "nodes") {
      const started = Date.now();
      const nodes = await pollNodes(inputs, inputs, inputs.expectedNodes, (a) => {
        if (a.attempt === 1 || a.attempt % 6 === 0)
          log.info(`waiting for nodes: attempt ${a.attempt}, ${a.elapsedSeconds} s, ${a.status}`);
      });
      outs.nodesReadySeconds =
        Math.round(((Date.now() - started) / 1000 + seen.elapsedSeconds) * 10) / 10;
      outs.nodes = nodes.nodes;
    }
    return { id: inputs.waitFor === "nodes" ? `${inputs.endpoint}#nodes` : inputs.endpoint, outs };
  },
  async diff(_id: string, olds: State, news: State) {
    const replaces = (["endpoint", "caCertPem", "waitFor", "expectedNodes"] as const).filter(
      (k) => olds[k] !== news[k],
    );
    return { changes: replaces.length > 0 || olds.clientCertPem !== news.clientCertPem, replaces };
  },
  async update(_id: string, olds: State, news: State) {
    // A renewed admin certificate changes nothing about readiness.
    const { readySeconds, attempts, nodesReadySeconds, nodes } = olds;
    return { outs: { ...news, readySeconds, attempts, nodesReadySeconds, nodes } };
  },
};

/** Arguments of an ApiReadiness gate. */
export interface ApiReadinessArgs {
  endpoint: pulumi.Input<string>;
  caCertPem: pulumi.Input<string>;
  clientCertPem: pulumi.Input<string>;
  clientKeyPem: pulumi.Input<string>;
  /** Give up after this long. Default 1200 (20 minutes: image pulls on a cold node). */
  timeoutSeconds?: number;
  /** Seconds between attempts. Default 10. */
  intervalSeconds?: number;
  /** `api` (default): the API answers. `nodes`: then `expectedNodes` nodes are Ready. */
  waitFor?: "api" | "nodes";
  /** How many nodes must be Ready (waitFor `nodes`). */
  expectedNodes?: number;
  /**
   * Where to look when it times out, for the cluster's OS and platform
   * (`readinessTroubleshooting`): plain text, as the serialized provider
   * can load nothing of minos.
   */
  troubleshooting?: string;
}

/**
 * A gate that exists once the API server answers `/readyz` with 200 over
 * mutual TLS, and with `waitFor: "nodes"` once the expected number of nodes
 * report Ready. It records how long each took, and the nodes it saw.
 * Anything that talks to the cluster depends on it.
 */
export class ApiReadiness extends pulumi.dynamic.Resource {
  /** Seconds from the gate's creation until the API was ready. */
  declare readonly readySeconds: pulumi.Output<number>;
  /** Seconds from the gate's creation until the nodes were Ready (waitFor `nodes`). */
  declare readonly nodesReadySeconds: pulumi.Output<number | undefined>;
  /** The nodes as the API reported them once Ready (waitFor `nodes`). */
  declare readonly nodes: pulumi.Output<NodeInventory[] | undefined>;

  constructor(name: string, args: ApiReadinessArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      apiReadinessProvider,
      name,
      {
        timeoutSeconds: 1200,
        intervalSeconds: 10,
        waitFor: "api",
        expectedNodes: 0,
        ...args,
        readySeconds: undefined,
        attempts: undefined,
        nodesReadySeconds: undefined,
        nodes: undefined,
      },
      { ...opts, additionalSecretOutputs: ["clientKeyPem"] },
      "minos",
      "ApiReadiness",
    );
  }
}
