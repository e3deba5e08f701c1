import type { OsAddonContext } from "@minos/core";
import { serviceAccount } from "@minos/core";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { FLEETLOCK_IMAGE } from "./versions.js";
import { fleetlockAddress } from "./zincati.js";

const NAMESPACE = "fleetlock";
const LABELS = { app: "fleetlock" };
const CONTROL_PLANE_TOLERATION = {
  key: "node-role.kubernetes.io/control-plane",
  operator: "Exists",
  effect: "NoSchedule",
};

/**
 * The FleetLock server Zincati asks before each reboot (poseidon/fleetlock,
 * as its examples/k8s lay it out): one Lease per Zincati group, so one node
 * of each group at a time. Its drain is best effort (v0.4.0's
 * internal/server.go and internal/drainer): it grants the lease, then
 * cordons the node and asks to evict its pods, stopping at the first
 * eviction refused (a PodDisruptionBudget) and waiting for none, and never
 * withholds the reboot; it uncordons the node once Zincati reports it back.
 * It runs anywhere, control plane included, so a cluster without workers
 * still updates.
 */
export function fleetlock(ctx: OsAddonContext): pulumi.Resource[] {
  const { name, opts } = ctx;
  const ns = new k8s.core.v1.Namespace(
    `${name}-fleetlock`,
    { metadata: { name: NAMESPACE } },
    opts,
  );
  const inNs = { ...opts, dependsOn: [ns] };
  const rbac = serviceAccount(
    name,
    {
      name: "fleetlock",
      namespace: NAMESPACE,
      clusterRules: [
        { apiGroups: [""], resources: ["nodes"], verbs: ["list", "patch"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
        { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
      ],
      // One Lease per Zincati group.
      namespaceRules: [
        {
          apiGroups: ["coordination.k8s.io"],
          resources: ["leases"],
          verbs: ["create", "get", "update"],
        },
      ],
    },
    opts,
    inNs,
  );
  const deployment = new k8s.apps.v1.Deployment(
    `${name}-fleetlock`,
    {
      metadata: { name: "fleetlock", namespace: NAMESPACE, labels: LABELS },
      spec: {
        replicas: 1,
        strategy: { type: "Recreate" },
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: "fleetlock",
            priorityClassName: "system-cluster-critical",
            tolerations: [CONTROL_PLANE_TOLERATION],
            // The image says `USER nobody`: a name kubelet cannot check runAsNonRoot
            // against, so the pod would never start without the number (Alpine's nobody).
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65534,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [
              {
                name: "fleetlock",
                image: FLEETLOCK_IMAGE,
                // Its Leases live here; it reads NAMESPACE, not POD_NAMESPACE.
                env: [
                  {
                    name: "NAMESPACE",
                    valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
                  },
                ],
                ports: [{ name: "http", containerPort: 8080 }],
                livenessProbe: {
                  httpGet: { path: "/-/healthy", port: 8080 },
                  initialDelaySeconds: 10,
                },
                resources: {
                  requests: { cpu: "30m", memory: "30Mi" },
                  limits: { cpu: "50m", memory: "50Mi" },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ["ALL"] },
                  readOnlyRootFilesystem: true,
                },
              },
            ],
          },
        },
      },
    },
    { ...inNs, dependsOn: [ns, ...rbac] },
  );
  const service = new k8s.core.v1.Service(
    `${name}-fleetlock`,
    {
      metadata: { name: "fleetlock", namespace: NAMESPACE, labels: LABELS },
      spec: {
        type: "ClusterIP",
        // Zincati's base_url names this address (zincati.ts).
        clusterIP: fleetlockAddress(ctx.serviceCidr),
        selector: LABELS,
        ports: [{ name: "http", port: 80, targetPort: 8080 }],
      },
    },
    inNs,
  );
  return [ns, ...rbac, deployment, service];
}
