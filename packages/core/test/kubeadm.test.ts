import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { workerContext } from "../../../test/support/context.js";
import type { NodeRole } from "../src/index.js";
import { kubeadm } from "../src/index.js";
import { keyPaths, V1BETA4_FIELDS } from "./kubeadm-v1beta4-fields.js";

const ctx = workerContext({
  certSans: ["203.0.113.10", "api.dev.test"],
  node: {
    pool: "general",
    labels: { "example.com/tier": "web", team: "a" },
    taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
    kubeletExtraArgs: { "max-pods": "200" },
    sshAuthorizedKeys: [],
  },
});
const os: kubeadm.KubeadmOsDefaults = {
  criSocket: "unix:///run/containerd/containerd.sock",
  kubeletExtraArgs: { "volume-plugin-dir": "/opt/x/" },
  controllerManagerExtraArgs: { "flex-volume-plugin-dir": "/opt/x/" },
};

function docs(role: NodeRole) {
  const text = kubeadm.renderKubeadmConfig(role, ctx, os);
  return parseAllDocuments(text).map((d) => {
    expect(d.errors).toEqual([]);
    // biome-ignore lint/suspicious/noExplicitAny: parsed YAML, asserted field by field below
    return d.toJS() as Record<string, any>;
  });
}

describe("kubeadm config", () => {
  it.each<NodeRole>(["control-plane", "control-plane-join", "worker"])(
    "%s uses only v1beta4 reference fields",
    (role) => {
      for (const doc of docs(role)) {
        const allowed = V1BETA4_FIELDS[doc.kind];
        expect(allowed, `unexpected kind ${doc.kind}`).toBeDefined();
        expect(keyPaths(doc).filter((p) => !allowed?.has(p))).toEqual([]);
        if (doc.kind !== "KubeletConfiguration")
          expect(doc.apiVersion).toBe("kubeadm.k8s.io/v1beta4");
      }
    },
  );

  it("init carries the token, CIDRs, endpoint and SANs", () => {
    const [init, cluster, kubelet] = docs("control-plane");
    expect(init?.kind).toBe("InitConfiguration");
    expect(init?.bootstrapTokens).toEqual([
      expect.objectContaining({
        token: "abcdef.0123456789abcdef",
        ttl: "0s",
        groups: ["system:bootstrappers:kubeadm:default-node-token"],
      }),
    ]);
    expect(cluster).toMatchObject({
      kind: "ClusterConfiguration",
      clusterName: "dev",
      kubernetesVersion: "v1.36.5",
      controlPlaneEndpoint: "api.dev.test:6443",
      encryptionAlgorithm: "ECDSA-P256",
      networking: { podSubnet: "10.244.0.0/16", serviceSubnet: "10.96.0.0/12" },
      apiServer: { certSANs: ["api.dev.test", "203.0.113.10"] },
      controllerManager: { extraArgs: [{ name: "flex-volume-plugin-dir", value: "/opt/x/" }] },
    });
    expect(kubelet).toMatchObject({ kind: "KubeletConfiguration", cgroupDriver: "systemd" });
    expect(init?.timeouts).toEqual({
      controlPlaneComponentHealthCheck: "10m0s",
      kubernetesAPICall: "10m0s",
    });
  });

  it("registers labels, taints and kubelet flags as name/value lists, sorted", () => {
    const [init] = docs("control-plane");
    expect(init?.nodeRegistration).toEqual({
      criSocket: "unix:///run/containerd/containerd.sock",
      kubeletExtraArgs: [
        { name: "max-pods", value: "200" },
        { name: "node-labels", value: "example.com/tier=web,team=a" },
        { name: "volume-plugin-dir", value: "/opt/x/" },
      ],
      taints: [{ key: "dedicated", value: "web", effect: "NoSchedule" }],
    });
  });

  it("worker joins by token and CA hash, never as control plane", () => {
    const [join, ...rest] = docs("worker");
    expect(rest).toEqual([]);
    expect(join?.discovery.bootstrapToken).toEqual({
      apiServerEndpoint: "api.dev.test:6443",
      token: "abcdef.0123456789abcdef",
      caCertHashes: ["sha256:00ff"],
    });
    expect(join?.controlPlane).toBeUndefined();
    expect(join?.timeouts).toEqual({ discovery: "30m0s", kubernetesAPICall: "10m0s" });
  });

  it("control-plane join adds the controlPlane section without a certificate key", () => {
    const [join] = docs("control-plane-join");
    expect(join?.controlPlane).toEqual({ localAPIEndpoint: {} });
  });

  it("an empty taint list means no taints (kubeadm would otherwise add its own)", () => {
    const text = kubeadm.renderKubeadmConfig(
      "worker",
      { ...ctx, node: { ...ctx.node, taints: [] } },
      os,
    );
    expect(parseAllDocuments(text)[0]?.toJS().nodeRegistration.taints).toEqual([]);
  });
});
