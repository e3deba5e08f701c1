import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { LOCAL_PATH_HELPER_IMAGE, LOCAL_PATH_PROVISIONER_IMAGE } from "../versions.js";
import { httpProbe } from "./http-probe.js";
import { serviceAccount } from "./service-account.js";

const NAMESPACE = "local-path-storage";
const ACCOUNT = "local-path-provisioner-service-account";
const CONFIG = "local-path-config";
/** The StorageClass's name, and the provisioner it names. */
export const LOCAL_PATH_CLASS = "local-path";
export const LOCAL_PATH_PROVISIONER = "rancher.io/local-path";
/** The annotation that makes a StorageClass the one a claim without a class gets. */
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
const HEALTH_PORT = 8080;

/** What the provisioner is told: one directory on every node, `DEFAULT_PATH_FOR_NON_LISTED_NODES`. */
export function localPathConfig(hostPath: string): string {
  return JSON.stringify(
    { nodePathMap: [{ node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: [hostPath] }] },
    null,
    2,
  );
}

/** The pod that makes and removes a volume's directory, as upstream's template, its image pinned. */
const HELPER_POD = `apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  priorityClassName: system-node-critical
  tolerations:
    - key: node.kubernetes.io/disk-pressure
      operator: Exists
      effect: NoSchedule
  containers:
  - name: helper-pod
    image: ${LOCAL_PATH_HELPER_IMAGE}
    imagePullPolicy: IfNotPresent
`;

/**
 * rancher/local-path-provisioner as typed Kubernetes resources, object for
 * object upstream's `deploy/local-path-storage.yaml` at tag v0.0.37 (its
 * image `docker.io/rancher/local-path-provisioner:v0.0.37`), rendered here
 * so nothing is fetched at deploy time. Four changes, each for a node or a
 * cluster upstream's defaults do not fit: volumes live in `hostPath` (the
 * OS's `localVolumePath`, not `/opt/local-path-provisioner`, which is
 * read-only on Talos and a link into /var on Fedora CoreOS); its
 * StorageClass is the cluster's default; its namespace admits privileged
 * pods, since the helper pods mount a host directory and Talos enforces
 * the `baseline` Pod Security level; and the helper pods' busybox is
 * pinned. Volumes bind where their first consumer is scheduled
 * (`WaitForFirstConsumer`) and go with their claim (`Delete`), as upstream's.
 */
export function localPathProvisioner(
  name: string,
  hostPath: string,
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const ns = new k8s.core.v1.Namespace(
    `${name}-local-path`,
    {
      metadata: {
        name: NAMESPACE,
        labels: { "pod-security.kubernetes.io/enforce": "privileged" },
      },
    },
    opts,
  );
  const inNs = { ...opts, dependsOn: [ns] };
  const rbac = serviceAccount(
    name,
    {
      name: ACCOUNT,
      namespace: NAMESPACE,
      // Upstream names its roles and bindings apart from the account.
      roleName: "local-path-provisioner-role",
      bindingName: "local-path-provisioner-bind",
      clusterRules: [
        {
          apiGroups: [""],
          resources: ["nodes", "persistentvolumeclaims", "configmaps", "pods", "pods/log"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: [""],
          resources: ["persistentvolumes"],
          verbs: ["get", "list", "watch", "create", "patch", "update", "delete"],
        },
        { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
        {
          apiGroups: ["storage.k8s.io"],
          resources: ["storageclasses"],
          verbs: ["get", "list", "watch"],
        },
      ],
      // Its helper pods, in its own namespace.
      namespaceRules: [
        {
          apiGroups: [""],
          resources: ["pods"],
          verbs: ["get", "list", "watch", "create", "patch", "update", "delete"],
        },
      ],
    },
    opts,
    inNs,
  );
  const config = new k8s.core.v1.ConfigMap(
    `${name}-local-path`,
    {
      metadata: { name: CONFIG, namespace: NAMESPACE },
      data: {
        "config.json": localPathConfig(hostPath),
        setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"',
        teardown: '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"',
        "helperPod.yaml": HELPER_POD,
      },
    },
    inNs,
  );
  const labels = { app: "local-path-provisioner" };
  const deployment = new k8s.apps.v1.Deployment(
    `${name}-local-path`,
    {
      metadata: { name: "local-path-provisioner", namespace: NAMESPACE },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: ACCOUNT,
            containers: [
              {
                name: "local-path-provisioner",
                image: LOCAL_PATH_PROVISIONER_IMAGE,
                imagePullPolicy: "IfNotPresent",
                command: [
                  "local-path-provisioner",
                  "--debug",
                  "start",
                  "--config",
                  "/etc/config/config.json",
                ],
                ports: [{ name: "health", containerPort: HEALTH_PORT, protocol: "TCP" }],
                startupProbe: httpProbe("/health", "health", 5, 5, 12),
                livenessProbe: httpProbe("/health", "health", 10, 10),
                readinessProbe: httpProbe("/ready", "health", 5, 5),
                volumeMounts: [{ name: "config-volume", mountPath: "/etc/config/" }],
                env: [
                  {
                    name: "POD_NAMESPACE",
                    valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
                  },
                  // It reads the helper pod's template again when the ConfigMap changes.
                  { name: "CONFIG_MOUNT_PATH", value: "/etc/config/" },
                  { name: "HEALTH_PORT", value: String(HEALTH_PORT) },
                ],
              },
            ],
            volumes: [{ name: "config-volume", configMap: { name: CONFIG } }],
          },
        },
      },
    },
    { ...inNs, dependsOn: [ns, ...rbac, config] },
  );
  const storageClass = new k8s.storage.v1.StorageClass(
    `${name}-local-path`,
    {
      metadata: {
        name: LOCAL_PATH_CLASS,
        annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" },
      },
      provisioner: LOCAL_PATH_PROVISIONER,
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
    },
    opts,
  );
  return [ns, ...rbac, config, deployment, storageClass];
}
