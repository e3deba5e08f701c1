import { MinosError, PLATFORM_SERVICE_KEYS, refuseUnknownKeys } from "@minos/core";
import { PULL_IMAGE } from "../versions.js";
import type { Manifest } from "./manifest.js";
import { PART_OF, PROBE_LABEL, skipNodes } from "./manifest.js";
import type { ResolvedProbeSettings } from "./settings.js";

/** The name of every object the load balancer and volume probe makes: one of each kind at a time. */
export const LB_VOLUME = "lb-volume";

/** The parts of its platform a cluster took that this probe times (`cluster.platformServices`). */
export interface LbVolumeParts {
  volumes: boolean;
  loadBalancers: boolean;
}

/** What one round makes, in the order it makes them; a part the cluster lacks is absent. */
export interface LbVolumeObjects {
  /** A claim of the default StorageClass, where the cluster has volumes. */
  claim?: Manifest;
  /** The pod that mounts the claim (where there is one) and serves HTTP on port 80. */
  pod: Manifest;
  /** A Service of type `LoadBalancer` selecting the pod, where the cluster has load balancers. */
  service?: Manifest;
}

/**
 * The cluster's parts as the collector takes them: a minos cluster's whole
 * `platformServices` (its `controller` and `autoscaler` are allowed and not
 * read); `volumes` and `loadBalancers` must be booleans.
 */
export function resolveLbVolumeParts(services: LbVolumeParts): LbVolumeParts {
  if (typeof services !== "object" || services === null)
    throw new MinosError(
      "services",
      services,
      "give the cluster's platformServices ({ volumes, loadBalancers })",
    );
  refuseUnknownKeys("services", services, [...PLATFORM_SERVICE_KEYS]);
  for (const key of ["volumes", "loadBalancers"] as const)
    if (typeof services[key] !== "boolean")
      throw new MinosError(`services.${key}`, services[key], "give true or false");
  return { volumes: services.volumes, loadBalancers: services.loadBalancers };
}

/**
 * The objects of one round, made by the collector at run time (a Service
 * made long before it is timed would time nothing): a 1 GiB
 * `ReadWriteOnce` claim of the default class; a pod of `PULL_IMAGE`
 * (Kubernetes' e2e nginx, which the image-pull probe has put on every node
 * by then, so no pull is timed) serving its own page on port 80 with the
 * claim mounted apart from it, kept off the nodes the probes skip; and a
 * Service of type `LoadBalancer` on port 80 (an AWS Network Load Balancer,
 * as the shared nginx's). The pod is Ready once nginx answers, checked
 * every second.
 */
export function lbVolumeObjects(s: ResolvedProbeSettings, parts: LbVolumeParts): LbVolumeObjects {
  const labels = { ...PART_OF, [PROBE_LABEL]: LB_VOLUME };
  const metadata = { name: LB_VOLUME, namespace: s.namespace, labels };
  const nodeAffinity = skipNodes(s.skipNodesLabelled);
  const claim: Manifest | undefined = parts.volumes
    ? {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata,
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      }
    : undefined;
  const pod: Manifest = {
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 1,
      ...(nodeAffinity && { affinity: { nodeAffinity } }),
      containers: [
        {
          name: "nginx",
          image: PULL_IMAGE,
          imagePullPolicy: "IfNotPresent",
          ports: [{ containerPort: 80 }],
          readinessProbe: { httpGet: { path: "/", port: 80 }, periodSeconds: 1 },
          resources: { requests: { cpu: "10m", memory: "16Mi" } },
          ...(claim && { volumeMounts: [{ name: "data", mountPath: "/data" }] }),
        },
      ],
      ...(claim && {
        volumes: [{ name: "data", persistentVolumeClaim: { claimName: LB_VOLUME } }],
      }),
    },
  };
  const service: Manifest | undefined = parts.loadBalancers
    ? {
        apiVersion: "v1",
        kind: "Service",
        metadata: {
          ...metadata,
          // AWS's controller makes a Network Load Balancer, not a Classic one; other platforms ignore it.
          annotations: { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" },
        },
        spec: {
          type: "LoadBalancer",
          selector: { [PROBE_LABEL]: LB_VOLUME },
          ports: [{ name: "http", port: 80, targetPort: 80 }],
        },
      }
    : undefined;
  return { ...(claim && { claim }), pod, ...(service && { service }) };
}
