import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  CCM_CLUSTER_RULES,
  CCM_LEADER_LOCKING_RULES,
  CLOUD_NODE_CONTROLLER_RULES,
  CLOUD_PROVIDER_CLUSTER_RULES,
  CLOUD_PROVIDER_NAMESPACE_RULES,
} from "./ccm-rbac.js";
import { GCP_CCM_IMAGE } from "./versions.js";

const NAMESPACE = "kube-system";
const ACCOUNT = "cloud-controller-manager";
/** The ConfigMap minos keeps the cloud config in, and the file the controller reads. */
export const CLOUD_CONFIG_MAP = "gce-cloud-config";
export const CLOUD_CONFIG_FILE = "cloud.config";
const CLOUD_CONFIG_PATH = `/etc/kubernetes/${CLOUD_CONFIG_FILE}`;
/** Rolls the controller's pods when its config changes: it reads the file once, at start. */
export const CLOUD_CONFIG_HASH_ANNOTATION = "minos.dev/cloud-config-sha256";

/**
 * What the controller runs: the node controllers always, the service
 * controller only with load balancers. Named, since the default (`*`) also
 * starts the node IPAM controller, which refuses to start without
 * `--allocate-node-cidrs` and stops the whole manager
 * (`pkg/controller/nodeipam/starter.go`; the controller manager of each
 * minos OS gives nodes their pod ranges). No routes: the CNI carries pod
 * traffic.
 */
export function ccmControllers(loadBalancers: boolean): string[] {
  return [
    "cloud-node-controller",
    "cloud-node-lifecycle-controller",
    ...(loadBalancers ? ["service-lb-controller"] : []),
  ];
}

/** The controller's command line; upstream's manifest leaves `args` to "tooling". */
export function ccmArgs(cluster: string, loadBalancers: boolean): string[] {
  return [
    "--cloud-provider=gce",
    `--cloud-config=${CLOUD_CONFIG_PATH}`,
    `--controllers=${ccmControllers(loadBalancers).join(",")}`,
    "--leader-elect=true",
    "--use-service-account-credentials=true",
    "--allocate-node-cidrs=false",
    "--configure-cloud-routes=false",
    `--cluster-name=${cluster}`,
    "--v=2",
  ];
}

/** Upstream's: it runs before any node is initialized or Ready, on control-plane nodes. */
export const CCM_TOLERATIONS = [
  { key: "node.cloudprovider.kubernetes.io/uninitialized", value: "true", effect: "NoSchedule" },
  { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" },
  { key: "node-role.kubernetes.io/master", effect: "NoSchedule" },
  { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" },
];

const CONTROL_PLANE_AFFINITY = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: ["control-plane", "master"].map((role) => ({
        matchExpressions: [{ key: `node-role.kubernetes.io/${role}`, operator: "Exists" }],
      })),
    },
  },
};

/**
 * kubernetes/cloud-provider-gcp's cloud controller manager as typed
 * Kubernetes resources: object for object its
 * `deploy/packages/default/manifest.yaml` at v36.3.8 (a DaemonSet on
 * control-plane nodes, on the host's network, tolerating nodes not yet
 * initialized or Ready) with the released image, and the `gce:cloud-provider`
 * roles kube-up installs beside it. Changes from upstream, each for a minos
 * cluster: the cloud config comes from a ConfigMap minos writes, not a file
 * on the host; the API is reached at its Service address (kube-proxy runs
 * on every node before any is initialized), not 127.0.0.1, which kubeadm's
 * serving certificate does not name; the kOps and addon-manager labels, and
 * the `pvl-controller` role nothing binds, are left out.
 *
 * It needs the control-plane instances' account to hold the roles
 * `gcpServiceRoles` grants, and reaches Google's APIs with that account's
 * token from the metadata server (`providers/gce/gce.go`
 * `GenerateCloudConfig`: `google.ComputeTokenSource` unless `token-url`).
 */
export function gcpCloudControllerManager(
  name: string,
  args: { cloudConfig: pulumi.Output<string>; loadBalancers: boolean },
  opts: pulumi.CustomResourceOptions,
): pulumi.Resource[] {
  const id = (what: string) => `${name}-ccm-${what}`;
  const ns = (n: string) => ({ name: n, namespace: NAMESPACE });
  const subject = (account: string) => ({
    kind: "ServiceAccount",
    name: account,
    namespace: NAMESPACE,
  });
  const ref = (kind: "Role" | "ClusterRole", n: string) => ({
    apiGroup: "rbac.authorization.k8s.io",
    kind,
    name: n,
  });
  const config = new k8s.core.v1.ConfigMap(
    id("config"),
    { metadata: ns(CLOUD_CONFIG_MAP), data: { [CLOUD_CONFIG_FILE]: args.cloudConfig } },
    opts,
  );
  const account = new k8s.core.v1.ServiceAccount(id("account"), { metadata: ns(ACCOUNT) }, opts);
  const rbac: pulumi.Resource[] = [
    new k8s.rbac.v1.RoleBinding(
      id("auth-reader"),
      {
        metadata: ns(`${ACCOUNT}:apiserver-authentication-reader`),
        roleRef: ref("Role", "extension-apiserver-authentication-reader"),
        subjects: [subject(ACCOUNT)],
      },
      opts,
    ),
  ];
  const clusterRole = (
    what: string,
    roleName: string,
    rules: typeof CCM_CLUSTER_RULES,
    sa: string,
  ) =>
    rbac.push(
      new k8s.rbac.v1.ClusterRole(id(what), { metadata: { name: roleName }, rules }, opts),
      new k8s.rbac.v1.ClusterRoleBinding(
        id(what),
        {
          metadata: { name: roleName },
          roleRef: ref("ClusterRole", roleName),
          subjects: [subject(sa)],
        },
        opts,
      ),
    );
  const role = (what: string, roleName: string, rules: typeof CCM_CLUSTER_RULES, sa: string) =>
    rbac.push(
      new k8s.rbac.v1.Role(id(what), { metadata: ns(roleName), rules }, opts),
      new k8s.rbac.v1.RoleBinding(
        id(what),
        { metadata: ns(roleName), roleRef: ref("Role", roleName), subjects: [subject(sa)] },
        opts,
      ),
    );
  clusterRole("manager", "system:cloud-controller-manager", CCM_CLUSTER_RULES, ACCOUNT);
  role(
    "leader-locking",
    "system::leader-locking-cloud-controller-manager",
    CCM_LEADER_LOCKING_RULES,
    ACCOUNT,
  );
  clusterRole(
    "node-controller",
    "system:controller:cloud-node-controller",
    CLOUD_NODE_CONTROLLER_RULES,
    "cloud-node-controller",
  );
  role("provider", "gce:cloud-provider", CLOUD_PROVIDER_NAMESPACE_RULES, "cloud-provider");
  clusterRole("provider", "gce:cloud-provider", CLOUD_PROVIDER_CLUSTER_RULES, "cloud-provider");
  const labels = { component: "cloud-controller-manager" };
  const daemonSet = new k8s.apps.v1.DaemonSet(
    id("daemonset"),
    {
      metadata: { ...ns("cloud-controller-manager"), labels },
      spec: {
        selector: { matchLabels: labels },
        updateStrategy: { type: "RollingUpdate" },
        template: {
          metadata: {
            labels: { tier: "control-plane", ...labels },
            annotations: {
              [CLOUD_CONFIG_HASH_ANNOTATION]: args.cloudConfig.apply((c) =>
                createHash("sha256").update(c).digest("hex"),
              ),
            },
          },
          spec: {
            affinity: CONTROL_PLANE_AFFINITY,
            tolerations: CCM_TOLERATIONS,
            serviceAccountName: ACCOUNT,
            containers: [
              {
                name: "cloud-controller-manager",
                image: GCP_CCM_IMAGE,
                imagePullPolicy: "IfNotPresent",
                args: ccmArgs(name, args.loadBalancers),
                livenessProbe: {
                  failureThreshold: 3,
                  httpGet: { host: "127.0.0.1", path: "/healthz", port: 10258, scheme: "HTTPS" },
                  initialDelaySeconds: 15,
                  periodSeconds: 10,
                  successThreshold: 1,
                  timeoutSeconds: 15,
                },
                resources: { requests: { cpu: "200m" } },
                volumeMounts: [
                  {
                    mountPath: CLOUD_CONFIG_PATH,
                    subPath: CLOUD_CONFIG_FILE,
                    name: "cloudconfig",
                    readOnly: true,
                  },
                ],
              },
            ],
            hostNetwork: true,
            priorityClassName: "system-cluster-critical",
            volumes: [{ name: "cloudconfig", configMap: { name: CLOUD_CONFIG_MAP } }],
          },
        },
      },
    },
    { ...opts, dependsOn: [config, account, ...rbac] },
  );
  return [config, account, ...rbac, daemonSet];
}
