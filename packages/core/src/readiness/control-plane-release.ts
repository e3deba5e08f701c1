import { releaseOrder } from "../version-skew.js";
import type { ReadyzTarget } from "./api-readiness.js";

// Bound to a name of this module, so that Pulumi, serializing the version
// gate's provider with these functions, copies it by value: a captured
// module would become a require() of a path @minos/core does not export.
const compare = releaseOrder;

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
