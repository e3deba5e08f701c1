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
  schedule: ReadyzSchedule,
  progress: (a: ReadyzAttempt) => void = () => {},
): Promise<ReadyzAttempt> {
  const https: typeof import("node:https") = require("node:https");
  const started = Date.now();
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
  for (let attempt = 1; ; attempt++) {
    const status = await ask();
    const elapsedSeconds = Math.round((Date.now() - started) / 100) / 10;
    const seen = { attempt, elapsedSeconds, status };
    progress(seen);
    if (status === "HTTP 200") return seen;
    if (elapsedSeconds + schedule.intervalSeconds > schedule.timeoutSeconds) {
      throw new Error(
        `minos: the API server at ${target.endpoint} was not ready after ${elapsedSeconds} s (${attempt} attempts); last status: ${status}`,
      );
    }
    await new Promise((r) => setTimeout(r, schedule.intervalSeconds * 1000));
  }
}

interface State extends ReadyzTarget, ReadyzSchedule {
  /** Seconds from creation until the API answered ready. */
  readySeconds?: number;
  attempts?: number;
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
    return {
      id: inputs.endpoint,
      outs: { ...inputs, readySeconds: seen.elapsedSeconds, attempts: seen.attempt },
    };
  },
  async diff(_id: string, olds: State, news: State) {
    const replaces = (["endpoint", "caCertPem"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || olds.clientCertPem !== news.clientCertPem, replaces };
  },
  async update(_id: string, olds: State, news: State) {
    // A renewed admin certificate changes nothing about readiness.
    return { outs: { ...news, readySeconds: olds.readySeconds, attempts: olds.attempts } };
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
}

/**
 * A gate that exists once the API server answers `/readyz` with 200 over
 * mutual TLS. Anything that talks to the cluster depends on it.
 */
export class ApiReadiness extends pulumi.dynamic.Resource {
  /** Seconds from the gate's creation until the API was ready. */
  declare readonly readySeconds: pulumi.Output<number>;

  constructor(name: string, args: ApiReadinessArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      apiReadinessProvider,
      name,
      {
        timeoutSeconds: 1200,
        intervalSeconds: 10,
        ...args,
        readySeconds: undefined,
        attempts: undefined,
      },
      { ...opts, additionalSecretOutputs: ["clientKeyPem"] },
      "minos",
      "ApiReadiness",
    );
  }
}
