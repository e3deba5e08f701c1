import type * as k8s from "@pulumi/kubernetes";
import { PD_CSI_CONTROLLER_ACCOUNT, PD_CSI_NODE_ACCOUNT } from "./pd-csi-rbac.js";
import {
  CSI_ATTACHER_IMAGE,
  CSI_NODE_REGISTRAR_IMAGE,
  CSI_PROVISIONER_IMAGE,
  CSI_RESIZER_IMAGE,
  CSI_SNAPSHOTTER_IMAGE,
  PD_CSI_DRIVER_IMAGE,
} from "./versions.js";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;

/** The driver's name, and the label its pods carry. */
export const PD_CSI_DRIVER = "pd.csi.storage.gke.io";
export const PD_CSI_APP = { app: "gcp-compute-persistent-disk-csi-driver" };

const NAMESPACE_ENV = {
  name: "PDCSI_NAMESPACE",
  valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } },
};
const NODE_NAME_ENV = {
  name: "KUBE_NODE_NAME",
  valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } },
};
const SOCKET = [{ name: "socket-dir", mountPath: "/csi" }];

/** A controller sidecar with its leader-election health endpoint, as upstream writes them. */
function sidecar(name: string, image: string, port: number | undefined, args: string[]): Container {
  return {
    name,
    image,
    args,
    env: [NAMESPACE_ENV],
    ...(port !== undefined && {
      ports: [{ containerPort: port, name: "http-endpoint", protocol: "TCP" }],
      livenessProbe: {
        failureThreshold: 1,
        httpGet: { path: "/healthz/leader-election", port: "http-endpoint" },
        initialDelaySeconds: 10,
        timeoutSeconds: 10,
        periodSeconds: 20,
      },
    }),
    volumeMounts: SOCKET,
  };
}

/**
 * The control-plane taint, and those of a node neither initialized nor
 * Ready: on the host's network the controller needs no CNI and nothing the
 * cloud controller sets, and the cluster's nodes-ready gate waits for it.
 */
export const CONTROL_PLANE_NOT_YET_READY = [
  { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
  {
    key: "node.cloudprovider.kubernetes.io/uninitialized",
    operator: "Exists",
    effect: "NoSchedule",
  },
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
];

const LEADER = ["--leader-election", "--leader-election-namespace=$(PDCSI_NAMESPACE)"];

/**
 * The controller pod of `deploy/kubernetes/base/controller/controller.yaml`
 * at v1.26.4 with the `stable-master` overlay's two patches (the attacher's
 * `--max-grpc-log-length=10000` and `--default-fstype=ext4`), but no key
 * file: without `GOOGLE_APPLICATION_CREDENTIALS` the driver takes Google's
 * default credentials (`pkg/gce-cloud-provider/compute/gce.go`
 * `generateTokenSource`: `google.DefaultTokenSource`), which on an instance
 * are its own account's, from the metadata server. It runs on the host's
 * network (upstream's choice, so minos' block of pods from the metadata
 * server does not apply) and, unlike upstream, only on control-plane nodes,
 * whose account holds the disk roles, from before they are Ready.
 */
export function pdCsiControllerPod(): PodSpec {
  const driverArgs = ["--v=5", "--endpoint=unix:/csi/csi.sock"];
  return {
    hostNetwork: true,
    nodeSelector: { "kubernetes.io/os": "linux" },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "node-role.kubernetes.io/control-plane", operator: "Exists" },
              ],
            },
          ],
        },
      },
    },
    serviceAccountName: PD_CSI_CONTROLLER_ACCOUNT,
    priorityClassName: "csi-gce-pd-controller",
    tolerations: [
      { key: "pd.csi.storage.gke.io/startup", operator: "Exists", effect: "NoSchedule" },
      ...CONTROL_PLANE_NOT_YET_READY,
    ],
    containers: [
      sidecar("csi-provisioner", CSI_PROVISIONER_IMAGE, 22011, [
        "--v=5",
        "--csi-address=/csi/csi.sock",
        "--feature-gates=Topology=true",
        "--http-endpoint=:22011",
        "--leader-election-namespace=$(PDCSI_NAMESPACE)",
        "--timeout=250s",
        "--extra-create-metadata",
        "--leader-election",
        "--default-fstype=ext4",
        "--controller-publish-readonly=true",
      ]),
      sidecar("csi-attacher", CSI_ATTACHER_IMAGE, 22012, [
        "--v=5",
        "--csi-address=/csi/csi.sock",
        "--http-endpoint=:22012",
        ...LEADER,
        "--timeout=250s",
        "--max-grpc-log-length=10000",
        "--default-fstype=ext4",
      ]),
      sidecar("csi-resizer", CSI_RESIZER_IMAGE, 22013, [
        "--v=5",
        "--csi-address=/csi/csi.sock",
        "--http-endpoint=:22013",
        ...LEADER,
        "--handle-volume-inuse-error=false",
      ]),
      sidecar("csi-snapshotter", CSI_SNAPSHOTTER_IMAGE, undefined, [
        "--v=5",
        "--csi-address=/csi/csi.sock",
        "--metrics-address=:22014",
        ...LEADER,
        "--timeout=300s",
        "--retry-interval-max=60s",
      ]),
      {
        name: "gce-pd-driver",
        image: PD_CSI_DRIVER_IMAGE,
        args: [
          ...driverArgs,
          "--supports-dynamic-iops-provisioning=hyperdisk-balanced,hyperdisk-extreme",
          "--supports-dynamic-throughput-provisioning=hyperdisk-balanced,hyperdisk-throughput,hyperdisk-ml",
          "--enable-data-cache",
          "--run-node-service=false",
          "--enable-multitenancy=false",
        ],
        command: ["/gce-pd-csi-driver"],
        volumeMounts: SOCKET,
      },
      {
        name: "taint-controller",
        image: PD_CSI_DRIVER_IMAGE,
        imagePullPolicy: "IfNotPresent",
        args: [
          "--v=5",
          "--run-taint-controller=true",
          "--taint-metrics-addr=:8081",
          "--run-node-service=false",
        ],
        command: ["/gce-pd-csi-driver"],
        ports: [{ name: "metrics-taint", containerPort: 8081 }],
      },
    ],
    volumes: [{ name: "socket-dir", emptyDir: {} }],
  };
}

/** A host directory the node plugin mounts. */
const host = (name: string, path: string, type?: string) => ({
  name,
  hostPath: { path, ...(type !== undefined && { type }) },
});

/**
 * The node plugin of `deploy/kubernetes/base/node_linux/node.yaml` at
 * v1.26.4, as upstream: privileged, on the host's network, on every node
 * whatever its taints. It finds an attached disk by
 * `/dev/disk/by-id/google-<name>` (or `scsi-0Google_PersistentDisk_<name>`)
 * and checks its serial with its own `scsi_id` and `google_nvme_id`; where
 * the host's udev made no such link, it runs `udevadm trigger` through the
 * host's `/run/udev`, then links the device itself
 * (`pkg/deviceutils/device-utils.go`).
 */
export function pdCsiNodePod(): PodSpec {
  return {
    hostNetwork: true,
    priorityClassName: "csi-gce-pd-node",
    serviceAccountName: PD_CSI_NODE_ACCOUNT,
    nodeSelector: { "kubernetes.io/os": "linux" },
    containers: [
      {
        name: "csi-driver-registrar",
        image: CSI_NODE_REGISTRAR_IMAGE,
        args: [
          "--v=5",
          "--csi-address=/csi/csi.sock",
          `--kubelet-registration-path=/var/lib/kubelet/plugins/${PD_CSI_DRIVER}/csi.sock`,
        ],
        env: [NODE_NAME_ENV],
        volumeMounts: [
          { name: "plugin-dir", mountPath: "/csi" },
          { name: "registration-dir", mountPath: "/registration" },
        ],
      },
      {
        name: "gce-pd-driver",
        image: PD_CSI_DRIVER_IMAGE,
        args: [
          "--v=5",
          "--endpoint=unix:/csi/csi.sock",
          "--run-controller-service=false",
          "--enable-data-cache",
          "--node-name=$(KUBE_NODE_NAME)",
        ],
        securityContext: { privileged: true },
        env: [NODE_NAME_ENV],
        volumeMounts: [
          {
            name: "kubelet-plugin-dir",
            mountPath: "/var/lib/kubelet/plugins/kubernetes.io/csi",
            mountPropagation: "Bidirectional",
          },
          {
            name: "kubelet-pods",
            mountPath: "/var/lib/kubelet/pods",
            mountPropagation: "Bidirectional",
          },
          { name: "plugin-dir", mountPath: "/csi" },
          { name: "device-dir", mountPath: "/dev" },
          { name: "udev-rules-etc", mountPath: "/etc/udev" },
          { name: "udev-rules-lib", mountPath: "/lib/udev" },
          { name: "udev-socket", mountPath: "/run/udev" },
          { name: "sys", mountPath: "/sys" },
          { name: "lib-modules", mountPath: "/lib/modules", readOnly: true },
        ],
      },
    ],
    volumes: [
      host("registration-dir", "/var/lib/kubelet/plugins_registry/", "Directory"),
      host("kubelet-pods", "/var/lib/kubelet/pods"),
      host("kubelet-plugin-dir", "/var/lib/kubelet/plugins/kubernetes.io/csi", "DirectoryOrCreate"),
      host("plugin-dir", `/var/lib/kubelet/plugins/${PD_CSI_DRIVER}/`, "DirectoryOrCreate"),
      host("device-dir", "/dev", "Directory"),
      host("udev-rules-etc", "/etc/udev", "Directory"),
      host("udev-rules-lib", "/lib/udev", "Directory"),
      host("udev-socket", "/run/udev", "Directory"),
      host("sys", "/sys", "Directory"),
      host("lib-modules", "/lib/modules", "Directory"),
    ],
    tolerations: [{ operator: "Exists" }],
  };
}
