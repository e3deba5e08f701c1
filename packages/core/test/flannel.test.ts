import { beforeAll, describe, expect, it } from "vitest";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks } from "../../../test/support/pulumi-mocks.js";
import { flannel } from "../src/addons/flannel.js";

let registered: RegisteredResource[];
beforeAll(async () => {
  registered = installMocks();
  flannel("ff", "10.60.0.0/16", {});
  await new Promise((r) => setTimeout(r, 100));
});

const of = (type: string) => registered.find((r) => r.type === type && r.name === "ff-flannel");

interface Container {
  name: string;
  image: string;
  command: string[];
  args: string[];
  ports?: unknown[];
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  resources?: unknown;
  securityContext?: unknown;
  volumeMounts: { name: string; mountPath: string }[];
}
interface PodSpec {
  initContainers: Container[];
  containers: Container[];
  volumes: unknown[];
  hostNetwork: boolean;
  tolerations: unknown[];
}
const daemonSet = () =>
  of("kubernetes:apps/v1:DaemonSet")?.inputs as {
    metadata: { labels: Record<string, string> };
    spec: {
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    };
  };

// Expectations transcribed from flannel-io/flannel Documentation/kube-flannel.yml at v0.28.9.
describe("Flannel DaemonSet, as upstream's v0.28.9 manifest", () => {
  it("probes flanneld's health port: liveness on /healthz, readiness on /readyz", () => {
    const [flanneld] = daemonSet().spec.template.spec.containers;
    expect(flanneld?.command).toEqual(["/opt/bin/flanneld"]);
    expect(flanneld?.args).toEqual(["--ip-masq", "--kube-subnet-mgr", "--healthz-port=8081"]);
    expect(flanneld?.ports).toEqual([{ name: "healthz", containerPort: 8081, protocol: "TCP" }]);
    expect(flanneld?.livenessProbe).toEqual({
      httpGet: { path: "/healthz", port: "healthz" },
      initialDelaySeconds: 10,
      periodSeconds: 30,
    });
    expect(flanneld?.readinessProbe).toEqual({
      httpGet: { path: "/readyz", port: "healthz" },
      initialDelaySeconds: 5,
      periodSeconds: 10,
    });
    expect(flanneld?.resources).toEqual({ requests: { cpu: "100m", memory: "50Mi" } });
    expect(flanneld?.securityContext).toEqual({
      privileged: false,
      capabilities: { add: ["NET_ADMIN", "NET_RAW"] },
    });
  });

  it("copies the CNI binary, then installs the CNI config atomically with install-conf", () => {
    const [plugin, conf, ...rest] = daemonSet().spec.template.spec.initContainers;
    expect(rest).toEqual([]);
    expect(plugin).toEqual({
      name: "install-cni-plugin",
      image: "ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3",
      command: ["cp"],
      args: ["-f", "/flannel", "/opt/cni/bin/flannel"],
      volumeMounts: [{ name: "cni-plugin", mountPath: "/opt/cni/bin" }],
    });
    expect(conf).toEqual({
      name: "install-cni",
      image: "ghcr.io/flannel-io/flannel:v0.28.9",
      command: ["/opt/bin/install-conf"],
      args: ["/etc/kube-flannel/cni-conf.json", "/etc/cni/net.d/10-flannel.conflist"],
      volumeMounts: [
        { name: "cni", mountPath: "/etc/cni/net.d" },
        { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
      ],
    });
  });

  it("selects, labels and mounts as upstream does", () => {
    const ds = daemonSet();
    expect(ds.spec.selector.matchLabels).toEqual({ app: "flannel" });
    expect(ds.spec.template.metadata.labels).toEqual({ tier: "node", app: "flannel" });
    expect(ds.metadata.labels).toEqual({ tier: "node", app: "flannel", "k8s-app": "flannel" });
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.tolerations).toEqual([{ operator: "Exists", effect: "NoSchedule" }]);
    expect(pod.containers[0]?.volumeMounts).toEqual([
      { name: "run", mountPath: "/run/flannel" },
      { name: "flannel-cfg", mountPath: "/etc/kube-flannel/" },
      { name: "xtables-lock", mountPath: "/run/xtables.lock" },
    ]);
    expect(pod.volumes).toEqual([
      { name: "run", hostPath: { path: "/run/flannel" } },
      { name: "cni-plugin", hostPath: { path: "/opt/cni/bin" } },
      { name: "cni", hostPath: { path: "/etc/cni/net.d" } },
      { name: "flannel-cfg", configMap: { name: "kube-flannel-cfg" } },
      { name: "xtables-lock", hostPath: { path: "/run/xtables.lock", type: "FileOrCreate" } },
    ]);
    for (const type of [
      "kubernetes:core/v1:ServiceAccount",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    ])
      expect(of(type)?.inputs.metadata).toMatchObject({ labels: { "k8s-app": "flannel" } });
  });
});
