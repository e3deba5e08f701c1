import { beforeAll, describe, expect, it } from "vitest";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks, plain } from "../../../test/support/pulumi-mocks.js";
import { localPathProvisioner } from "../src/addons/local-path-provisioner.js";

let registered: RegisteredResource[];
beforeAll(async () => {
  registered = installMocks();
  localPathProvisioner("lp", "/var/local-path-provisioner", {});
  await new Promise((r) => setTimeout(r, 100));
});

const of = (kind: string) => {
  const found = registered.filter((r) => r.type === `kubernetes:${kind}`);
  expect(found).toHaveLength(1);
  return plain<Record<string, unknown>>(found[0]?.inputs);
};

interface Container {
  image: string;
  imagePullPolicy: string;
  command: string[];
  ports: unknown[];
  startupProbe: unknown;
  livenessProbe: unknown;
  readinessProbe: unknown;
  env: unknown[];
  volumeMounts: unknown[];
}

// Expectations transcribed from rancher/local-path-provisioner deploy/local-path-storage.yaml at v0.0.37.
describe("local-path-provisioner, as upstream's v0.0.37 manifest", () => {
  it("makes its namespace, admitting the helper pods' host mounts under any Pod Security default", () => {
    expect(of("core/v1:Namespace").metadata).toEqual({
      name: "local-path-storage",
      labels: { "pod-security.kubernetes.io/enforce": "privileged" },
    });
  });

  it("names its account, roles and bindings as upstream, with upstream's rules", () => {
    expect(of("core/v1:ServiceAccount").metadata).toEqual({
      name: "local-path-provisioner-service-account",
      namespace: "local-path-storage",
    });
    const role = of("rbac.authorization.k8s.io/v1:Role");
    expect(role.metadata).toEqual({
      name: "local-path-provisioner-role",
      namespace: "local-path-storage",
    });
    expect(role.rules).toEqual([
      {
        apiGroups: [""],
        resources: ["pods"],
        verbs: ["get", "list", "watch", "create", "patch", "update", "delete"],
      },
    ]);
    const clusterRole = of("rbac.authorization.k8s.io/v1:ClusterRole");
    expect(clusterRole.metadata).toEqual({ name: "local-path-provisioner-role" });
    expect(clusterRole.rules).toEqual([
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
    ]);
    const subjects = [
      {
        kind: "ServiceAccount",
        name: "local-path-provisioner-service-account",
        namespace: "local-path-storage",
      },
    ];
    expect(of("rbac.authorization.k8s.io/v1:RoleBinding")).toMatchObject({
      metadata: { name: "local-path-provisioner-bind", namespace: "local-path-storage" },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "Role",
        name: "local-path-provisioner-role",
      },
      subjects,
    });
    expect(of("rbac.authorization.k8s.io/v1:ClusterRoleBinding")).toMatchObject({
      metadata: { name: "local-path-provisioner-bind" },
      roleRef: { kind: "ClusterRole", name: "local-path-provisioner-role" },
      subjects,
    });
  });

  it("runs the provisioner at its pinned release, probed on its health port", () => {
    const deployment = of("apps/v1:Deployment") as {
      metadata: unknown;
      spec: {
        replicas: number;
        selector: unknown;
        template: {
          metadata: unknown;
          spec: { serviceAccountName: string; containers: Container[]; volumes: unknown[] };
        };
      };
    };
    expect(deployment.metadata).toEqual({
      name: "local-path-provisioner",
      namespace: "local-path-storage",
    });
    expect(deployment.spec.replicas).toBe(1);
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: "local-path-provisioner" } });
    const pod = deployment.spec.template.spec;
    expect(pod.serviceAccountName).toBe("local-path-provisioner-service-account");
    const [container, ...others] = pod.containers;
    expect(others).toEqual([]);
    expect(container?.image).toBe("docker.io/rancher/local-path-provisioner:v0.0.37");
    expect(container?.imagePullPolicy).toBe("IfNotPresent");
    expect(container?.command).toEqual([
      "local-path-provisioner",
      "--debug",
      "start",
      "--config",
      "/etc/config/config.json",
    ]);
    expect(container?.ports).toEqual([{ name: "health", containerPort: 8080, protocol: "TCP" }]);
    expect(container?.startupProbe).toEqual({
      httpGet: { path: "/health", port: "health" },
      initialDelaySeconds: 5,
      periodSeconds: 5,
      failureThreshold: 12,
    });
    expect(container?.readinessProbe).toEqual({
      httpGet: { path: "/ready", port: "health" },
      initialDelaySeconds: 5,
      periodSeconds: 5,
    });
    expect(container?.env).toEqual([
      { name: "POD_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
      { name: "CONFIG_MOUNT_PATH", value: "/etc/config/" },
      { name: "HEALTH_PORT", value: "8080" },
    ]);
    expect(pod.volumes).toEqual([
      { name: "config-volume", configMap: { name: "local-path-config" } },
    ]);
  });

  it("keeps volumes in the directory it is given, with upstream's scripts and a pinned helper", () => {
    const config = of("core/v1:ConfigMap") as {
      metadata: unknown;
      data: Record<string, string>;
    };
    expect(config.metadata).toEqual({ name: "local-path-config", namespace: "local-path-storage" });
    expect(JSON.parse(config.data["config.json"] ?? "")).toEqual({
      nodePathMap: [
        { node: "DEFAULT_PATH_FOR_NON_LISTED_NODES", paths: ["/var/local-path-provisioner"] },
      ],
    });
    expect(config.data.setup).toBe('#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"');
    expect(config.data.teardown).toBe('#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"');
    const helper = config.data["helperPod.yaml"] ?? "";
    expect(helper).toContain("image: docker.io/library/busybox:1.37.0\n");
    expect(helper).toContain("priorityClassName: system-node-critical");
    // The provisioner refuses a template with a securityContext, volumes or host namespaces.
    expect(helper).not.toMatch(/securityContext|volumes|hostNetwork|hostPID/);
  });

  it("makes its StorageClass the cluster's default, binding where the first consumer runs", () => {
    expect(of("storage.k8s.io/v1:StorageClass")).toMatchObject({
      metadata: {
        name: "local-path",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "rancher.io/local-path",
      volumeBindingMode: "WaitForFirstConsumer",
      reclaimPolicy: "Delete",
    });
  });
});
