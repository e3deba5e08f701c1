/** How one HTTP GET went: its status (0 when none came), or why none came. */
export interface HttpAttempt {
  status: number;
  error?: string;
}

/**
 * Where and how the collector checks a load balancer: port 80, as the
 * probe's Service listens, and how long one attempt may take. Not an
 * option of the collector; the tests' stand-in, whose load balancer
 * address is 127.0.0.1, gives another port.
 */
export interface HttpCheck {
  port: number;
  attemptSeconds: number;
}

/** The check every real run makes. */
export const HTTP_CHECK: HttpCheck = { port: 80, attemptSeconds: 5 };

/** The URL of a load balancer's ingress (an IP, v4 or v6, or a host name). */
export const ingressUrl = (address: string, port: number) =>
  `http://${address.includes(":") ? `[${address}]` : address}:${port}/`;

/**
 * One plain HTTP GET from this process (never from a pod: kube-proxy
 * answers a load balancer's IP inside the cluster itself), no agent kept,
 * the body read and dropped; at most `seconds`.
 */
export function httpGet(url: string, seconds: number): Promise<HttpAttempt> {
  const http: typeof import("node:http") = require("node:http");
  return new Promise<HttpAttempt>((resolve) => {
    const req = http.get(
      url,
      { agent: false, timeout: seconds * 1000, headers: { connection: "close" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
        res.on("error", (e: NodeJS.ErrnoException) =>
          resolve({ status: 0, error: e.code ?? e.message }),
        );
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer in ${seconds} s`)));
    req.on("error", (e: NodeJS.ErrnoException) =>
      resolve({ status: 0, error: e.code ?? e.message }),
    );
  });
}
