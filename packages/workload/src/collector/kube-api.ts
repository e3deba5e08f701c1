import type { ReadyzTarget } from "@minos/core";

/** An API server's answer: its HTTP status (0 when none came) and body, or why none came. */
export interface ApiAnswer {
  status: number;
  body: string;
  /** The connection's error (`ECONNREFUSED`, a timeout), when there was no answer. */
  error?: string;
}

/** The few calls the collector makes, as the cluster's admin over mutual TLS. */
export interface KubeApi {
  request(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiAnswer>;
  /** GET a JSON body; throws, naming the path and the status, on anything but 200 or unreadable JSON. */
  getJson<T>(path: string): Promise<T>;
}

/**
 * A client of the cluster's API with the admin client certificate, the way
 * core's readiness gates reach it (`node:https`, the CA pinned, no agent
 * kept), with built-ins only: the collector adds no Kubernetes client.
 */
export function kubeApi(target: ReadyzTarget, timeoutMs = 30000): KubeApi {
  const https: typeof import("node:https") = require("node:https");
  const request = (method: string, path: string, body?: unknown, contentType?: string) =>
    new Promise<ApiAnswer>((resolve) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        `${target.endpoint}${path}`,
        {
          method,
          ca: target.caCertPem,
          cert: target.clientCertPem,
          key: target.clientKeyPem,
          timeout: timeoutMs,
          agent: false,
          headers: {
            accept: "application/json, */*",
            ...(data !== undefined && {
              "content-type": contentType ?? "application/json",
              "content-length": Buffer.byteLength(data),
            }),
          },
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            text += chunk;
          });
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
      req.on("error", (e: NodeJS.ErrnoException) =>
        resolve({ status: 0, body: "", error: e.code ?? e.message }),
      );
      if (data !== undefined) req.write(data);
      req.end();
    });
  return {
    request,
    async getJson<T>(path: string): Promise<T> {
      const answer = await request("GET", path);
      if (answer.status !== 200)
        throw new Error(
          `GET ${path}: ${answer.error ?? `HTTP ${answer.status}`}${answer.body ? ` ${answer.body.slice(0, 200)}` : ""}`,
        );
      try {
        return JSON.parse(answer.body) as T;
      } catch (e) {
        throw new Error(`GET ${path}: unreadable JSON (${(e as Error).message})`);
      }
    },
  };
}
