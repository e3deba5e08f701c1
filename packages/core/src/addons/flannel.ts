import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { FLANNEL_CNI_PLUGIN_IMAGE, FLANNEL_IMAGE } from "../versions.js";
import { httpProbe } from "./http-probe.js";
import { serviceAccount } from "./service-account.js";

const NAMESPACE = "kube-flannel";
/** Upstream labels RBAC objects and the service account with `k8s-app` only, the pods with `tier` and `app`. */
const APP_LABEL = { "k8s-app": "flannel" };
const LABELS = { tier: "node", "k8s-app": "flannel", app: "flannel" };
const POD_LABELS = { tier: "node", app: "flannel" };
/** flanneld's health endpoint (`--healthz-port`): `/healthz` while it runs, `/readyz` once its lease and routes are set. */
const HEALTHZ_PORT = 8081;

/**
 * Flannel (VXLAN) as typed Kubernetes resources, object for object
 * upstream's `Documentation/kube-flannel.yml` at the pinned release, with
 * the pod network set to the cluster's. Rendered here rather than fetched,
 * so nothing is downloaded at deploy time and the objects are checked like
 * any other.
 */
export function flannel(
  name: string,
  podCidr: string,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const ns = new k8s.core.v1.Namespace(
    `${name}-flannel`,
    {
      metadata: {
        name: NAMESPACE,
        labels: { "k8s-app": "flannel", "pod-security.kubernetes.io/enforce": "privileged" },
      },
    },
    opts,
  );
  const inNs = { ...opts, dependsOn: [ns] };
  const rbac = serviceAccount(
    name,
    {
      name: "flannel",
      namespace: NAMESPACE,
      labels: APP_LABEL,
      clusterRules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
        { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
        { apiGroups: [""], resources: ["nodes/status"], verbs: ["patch"] },
      ],
    },
    opts,
    inNs,
  );
  const cniConf = {
    name: "cbr0",
    cniVersion: "0.3.1",
    plugins: [
      { type: "flannel", delegate: { hairpinMode: true, isDefaultGateway: true } },
      { type: "portmap", capabilities: { portMappings: true } },
    ],
  };
  const netConf = { Network: podCidr, EnableNFTables: false, Backend: { Type: "vxlan" } };
  const config = new k8s.core.v1.ConfigMap(
    `${name}-flannel`,
    {
      metadata: { name: "kube-flannel-cfg", namespace: NAMESPACE, labels: LABELS },
      data: {
        "cni-conf.json": JSON.stringify(cniConf, null, 2),
        "net-conf.json": JSON.stringify(netConf, null, 2),
      },
    },
    inNs,
  );
  const image = FLANNEL_IMAGE;
  const daemonSet = new k8s.apps.v1.DaemonSet(
    `${name}-flannel`,
    {
      metadata: { name: "kube-flannel-ds", namespace: NAMESPACE, labels: LABELS },
      spec: {
        selector: { matchLabels: { app: "flannel" } },
        template: {
          metadata: { labels: POD_LABELS },
          spec: {
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    {
                      matchExpressions: [
                        { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                      ],
                    },
                  ],
                },
              },
            },
            hostNetwork: true,
            priorityClassName: "system-node-critical",
            serviceAccountName: "flannel",
            tolerations: [{ operator: "Exists", effect: "NoSchedule" }],
            initContainers: [
              {
                name: "install-cni-plugin",
                image: FLANNEL_CNI_PLUGIN_IMAGE,
                command: ["cp"],
                args: ["-f", "/flannel", "/opt/cni/bin/flannel"],
                volumeMounts: [{ name: "cni-plugin", mountPath: "/opt/cni/bin" }],
              },
              {
                // Writes a temporary file beside the target and renames it:
                // containerd never reads a half-written config.
                name: "install-cni",
                image,
                command: ["/opt/bin/install-conf"],
                args: ["/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"],
                volumeMounts: [
                  { name: "cni", mountPath: "/etc/cni/net.d" },
                  { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
                ],
              },
            ],
            containers: [
              {
                name: "kube-flannel",
                image,
                command: ["/opt/bin/flanneld"],
                args: ["--ip-masq", "--kube-subnet-mgr", `--healthz-port=${HEALTHZ_PORT}`],
                ports: [{ name: "healthz", containerPort: HEALTHZ_PORT, protocol: "TCP" }],
                livenessProbe: httpProbe("/healthz", "healthz", 10, 30),
                readinessProbe: httpProbe("/readyz", "healthz", 5, 10),
                env: [
                  { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                  {
                    name: "POD_NAMESPACE",
                    valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
                  },
                  { name: "EVENT_QUEUE_DEPTH", value: "5000" },
                  { name: "CONT_WHEN_CACHE_NOT_READY", value: "false" },
                ],
                resources: { requests: { cpu: "100m", memory: "50Mi" } },
                securityContext: {
                  privileged: false,
                  capabilities: { add: ["NET_ADMIN", "NET_RAW"] },
                },
                volumeMounts: [
                  { name: "run", mountPath: "/run/flannel" },
                  { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
                  { name: "xtables-lock", mountPath: "/run/xtables.lock" },
                ],
              },
            ],
            volumes: [
              { name: "run", hostPath: { path: "/run/flannel" } },
              { name: "cni-plugin", hostPath: { path: "/opt/cni/bin" } },
              { name: "cni", hostPath: { path: "/etc/cni/net.d" } },
              { name: "flannel-cfg", configMap: { name: "kube-flannel-cfg" } },
              {
                name: "xtables-lock",
                hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" },
              },
            ],
          },
        },
      },
    },
    // Tolerates the not-ready taint, so it rolls out on nodes that wait for it.
    { ...inNs, dependsOn: [ns, ...rbac, config] },
  );
  return [ns, ...rbac, config, daemonSet];
}
