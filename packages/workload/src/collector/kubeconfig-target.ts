import type { ReadyzTarget } from "@minos/core";
import { MinosError } from "@minos/core";
import { parse } from "yaml";

interface Kubeconfig {
  "current-context"?: string;
  contexts?: { name?: string; context?: { cluster?: string; user?: string } }[];
  clusters?: {
    name?: string;
    cluster?: { server?: string; "certificate-authority-data"?: string };
  }[];
  users?: {
    name?: string;
    user?: { "client-certificate-data"?: string; "client-key-data"?: string };
  }[];
}

/**
 * The endpoint and credentials of a kubeconfig's current context, which must
 * carry them inline (`certificate-authority-data`, `client-certificate-data`,
 * `client-key-data`), as a minos cluster's admin kubeconfig does.
 */
export function kubeconfigTarget(text: string): ReadyzTarget {
  const k = parse(text) as Kubeconfig;
  const context = (k.contexts ?? []).find((c) => c.name === k["current-context"])?.context;
  const cluster = (k.clusters ?? []).find((c) => c.name === context?.cluster)?.cluster;
  const user = (k.users ?? []).find((u) => u.name === context?.user)?.user;
  const pem = (b64: string | undefined) => Buffer.from(b64 ?? "", "base64").toString("utf8");
  const target = {
    endpoint: (cluster?.server ?? "").replace(/\/+$/, ""),
    caCertPem: pem(cluster?.["certificate-authority-data"]),
    clientCertPem: pem(user?.["client-certificate-data"]),
    clientKeyPem: pem(user?.["client-key-data"]),
  };
  const missing = Object.entries(target)
    .filter(([, v]) => v === "")
    .map(([k]) => k);
  if (missing.length > 0)
    throw new MinosError(
      "kubeconfig",
      "(secret)",
      `give a kubeconfig whose current context has a server and inline certificate-authority-data, client-certificate-data and client-key-data (missing: ${missing.join(", ")})`,
    );
  return target;
}
