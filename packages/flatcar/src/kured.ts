import type { OsAddonContext, RebootWindow } from "@minos/core";
import { serviceAccount } from "@minos/core";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { KURED_IMAGE } from "./versions.js";

const NAMESPACE = "kube-system";
/** kured locks by annotating its own DaemonSet, so `--ds-name` must match it. */
const NAME = "kured";

/**
 * kured, the reboot coordinator for Flatcar: update_engine stages an update
 * and touches /run/reboot-required (Flatcar's post-install writes it for
 * kured, as does minos' sysext auto-update); kured takes the cluster-wide
 * lock (one node at a time), drains the node, reboots it, and releases the
 * lock only after the node is back and a settling delay has passed, so the
 * control plane's etcd member rejoins before the next node goes. locksmithd,
 * which would reboot at once, is masked on every node (updates.ts).
 * Following upstream's kured-ds.yaml and kured-rbac.yaml for the release.
 */
export function kured(ctx: OsAddonContext): pulumi.Resource[] {
  const { name, opts } = ctx;
  const rbac = serviceAccount(
    name,
    {
      name: NAME,
      namespace: NAMESPACE,
      clusterRules: [
        { apiGroups: [""], resources: ["nodes"], verbs: ["get", "patch"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["list", "delete", "get"] },
        { apiGroups: ["apps"], resources: ["daemonsets"], verbs: ["get"] },
        { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
      ],
      // kured locks by annotating its own DaemonSet.
      namespaceRules: [
        {
          apiGroups: ["apps"],
          resources: ["daemonsets"],
          resourceNames: [NAME],
          verbs: ["update"],
        },
      ],
    },
    opts,
  );
  const labels = { name: NAME };
  const daemonSet = new k8s.apps.v1.DaemonSet(
    `${name}-kured`,
    {
      metadata: { name: NAME, namespace: NAMESPACE },
      spec: {
        selector: { matchLabels: labels },
        updateStrategy: { type: "RollingUpdate" },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            tolerations: [
              { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
              { key: "node-role.kubernetes.io/master", effect: "NoSchedule" },
            ],
            // To enter the host's mount namespace for the reboot.
            hostPID: true,
            restartPolicy: "Always",
            volumes: [{ name: "sentinel", hostPath: { path: "/var/run", type: "Directory" } }],
            containers: [
              {
                name: "kured",
                image: KURED_IMAGE,
                imagePullPolicy: "IfNotPresent",
                securityContext: { privileged: true, readOnlyRootFilesystem: true },
                ports: [{ containerPort: 8080, name: "metrics" }],
                env: [
                  {
                    name: "KURED_NODE_ID",
                    valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } },
                  },
                ],
                volumeMounts: [{ mountPath: "/sentinel", name: "sentinel", readOnly: true }],
                command: ["/usr/bin/kured", ...kuredArgs(ctx.osUpdates.window)],
              },
            ],
          },
        },
      },
    },
    { ...opts, dependsOn: rbac },
  );
  return [...rbac, daemonSet];
}

/** kured's flags: one node at a time, a settling delay, and the window if one is set. */
export function kuredArgs(window: RebootWindow | undefined): string[] {
  return [
    "--reboot-sentinel=/sentinel/reboot-required",
    `--ds-name=${NAME}`,
    `--ds-namespace=${NAMESPACE}`,
    "--concurrency=1",
    "--period=10m",
    // The lock waits this long after the node is back: etcd and the API server settle first.
    "--lock-release-delay=5m",
    ...(window ? windowArgs(window) : []),
  ];
}

function windowArgs(w: RebootWindow): string[] {
  const [h, m] = w.start.split(":").map(Number) as [number, number];
  const end = h * 60 + m + w.lengthMinutes;
  const endTime =
    end >= 24 * 60
      ? "23:59:59"
      : `${String(Math.floor(end / 60)).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
  return [
    `--reboot-days=${w.days.map((d) => d.toLowerCase()).join(",")}`,
    `--start-time=${w.start}`,
    `--end-time=${endTime}`,
    "--time-zone=UTC",
  ];
}
