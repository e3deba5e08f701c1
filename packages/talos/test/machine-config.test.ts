import { X509Certificate } from "node:crypto";
import type { NodeRole } from "@minos/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderNode } from "../../../test/support/secrets.js";
import type { TalosOptions } from "../src/index.js";
import { talosOs } from "../src/index.js";
import type { Parsed } from "./secrets-fixture.js";
import { talosSecretsFixture } from "./secrets-fixture.js";
import { undocumentedFields } from "./talos-v1alpha1-fields.js";

const secrets = talosSecretsFixture();

const ROLES: NodeRole[] = ["control-plane", "control-plane-join", "worker"];
const render = (role: NodeRole, options: TalosOptions = {}) =>
  renderNode(talosOs(options), role, "kvm", secrets.cluster, {
    kubernetesVersion: "1.36.3",
    osSecrets: secrets.talos,
  });
const config = (role: NodeRole, options: TalosOptions = {}) =>
  parse(render(role, options).payload) as Parsed;
const pem = (b64: string) => Buffer.from(b64, "base64").toString();

describe("Talos machine config", () => {
  it.each(ROLES)("%s: every field minos emits is in the v1alpha1 reference", (role) => {
    expect(undocumentedFields(config(role))).toEqual([]);
    const patched = config(role, {
      configPatches: {
        all: [{ machine: { sysctls: { "vm.max_map_count": "262144" } } }],
        controlPlane: [{ cluster: { allowSchedulingOnControlPlanes: true } }],
      },
    });
    expect(undocumentedFields(patched)).toEqual([]);
  });

  it("the field check names what the reference lacks, list items included", () => {
    expect(
      undocumentedFields({
        machine: { features: { kubePrysm: {} } },
        cluster: { apiServer: { admissionControl: [{ name: "PodSecurity", config: {} }] } },
      }),
    ).toEqual(["machine.features.kubePrysm", "cluster.apiServer.admissionControl[].config"]);
  });

  // What v1.13.9's generator writes (its stability test data, v1.13/base-*.yaml),
  // less `install` and the HostnameConfig document.
  const GEN_CONFIG_MACHINE = {
    kubelet: { defaultRuntimeSeccompProfileEnabled: true, disableManifestsDirectory: true },
    features: {
      diskQuotaSupport: true,
      kubePrism: { enabled: true, port: 7445 },
      hostDNS: { enabled: true, forwardKubeDNSToHost: true },
    },
  };
  const GEN_CONFIG_DISCOVERY = {
    enabled: true,
    registries: { kubernetes: { disabled: true }, service: {} },
  };

  it.each(ROLES)("%s: sets what talosctl gen config 1.13 sets", (role) => {
    const c = config(role);
    expect(c.machine).toMatchObject(GEN_CONFIG_MACHINE);
    expect(c.machine.features).toEqual(GEN_CONFIG_MACHINE.features);
    expect(c.cluster.discovery).toEqual(GEN_CONFIG_DISCOVERY);
    expect(c.machine.install).toBeUndefined();
  });

  it("control-plane nodes get gen config's Pod Security, audit policy and load-balancer label", () => {
    const c = config("control-plane");
    expect(c.machine.nodeLabels).toEqual({
      "node.kubernetes.io/exclude-from-external-load-balancers": "",
    });
    expect(c.cluster.apiServer.admissionControl).toEqual([
      {
        name: "PodSecurity",
        configuration: {
          apiVersion: "pod-security.admission.config.k8s.io/v1alpha1",
          kind: "PodSecurityConfiguration",
          defaults: {
            enforce: "baseline",
            "enforce-version": "latest",
            audit: "restricted",
            "audit-version": "latest",
            warn: "restricted",
            "warn-version": "latest",
          },
          exemptions: { usernames: [], runtimeClasses: [], namespaces: ["kube-system"] },
        },
      },
    ]);
    expect(c.cluster.apiServer.auditPolicy).toEqual({
      apiVersion: "audit.k8s.io/v1",
      kind: "Policy",
      rules: [{ level: "Metadata" }],
    });
    const worker = config("worker");
    expect(worker.machine.nodeLabels).not.toHaveProperty(
      "node.kubernetes.io/exclude-from-external-load-balancers",
    );
    expect(worker.cluster.apiServer).toBeUndefined();
  });

  it("turns KubePrism, host DNS and discovery off one by one", () => {
    const off = (options: TalosOptions) => config("worker", options);
    expect(off({ kubePrism: false }).machine.features).toEqual({
      ...GEN_CONFIG_MACHINE.features,
      kubePrism: { enabled: false },
    });
    expect(off({ hostDns: false }).machine.features).toEqual({
      ...GEN_CONFIG_MACHINE.features,
      hostDNS: { enabled: false },
    });
    const noDiscovery = off({ discovery: false });
    expect(noDiscovery.cluster.discovery).toEqual({ enabled: false });
    expect(noDiscovery.machine.features).toEqual(GEN_CONFIG_MACHINE.features);
    // A merge patch can take out any other default, e.g. Pod Security admission.
    const patched = config("control-plane", {
      configPatches: { controlPlane: [{ cluster: { apiServer: { admissionControl: null } } }] },
    });
    expect(patched.cluster.apiServer.admissionControl).toBeUndefined();
  });

  it("control-plane nodes carry every CA with its key, the tokens and pinned images", () => {
    const c = config("control-plane");
    expect(c).toMatchObject({ version: "v1alpha1", debug: false, persist: true });
    expect(c.machine.type).toBe("controlplane");
    expect(c.machine.token).toBe(secrets.talos.machineToken);
    expect(pem(c.machine.ca.crt)).toBe(secrets.talos.osCa.certPem);
    // Talos's label for an Ed25519 key; the PKCS#8 inside is the same.
    expect(pem(c.machine.ca.key)).toBe(
      secrets.talos.osCa.keyPem.replaceAll("PRIVATE KEY-----", "ED25519 PRIVATE KEY-----"),
    );
    expect(new X509Certificate(pem(c.machine.ca.crt)).publicKey.asymmetricKeyType).toBe("ed25519");
    expect(c.machine.kubelet.image).toBe("ghcr.io/siderolabs/kubelet:v1.36.3");
    expect(c.machine.certSANs).toEqual(["api.dev.test", "203.0.113.10"]);
    expect(c.cluster).toMatchObject({
      id: secrets.talos.clusterId,
      secret: secrets.talos.clusterSecret,
      clusterName: "dev",
      controlPlane: { endpoint: "https://api.dev.test:6443" },
      network: {
        dnsDomain: "cluster.local",
        podSubnets: ["10.244.0.0/16"],
        serviceSubnets: ["10.96.0.0/12"],
        cni: { name: "flannel" },
      },
      token: secrets.cluster.join.bootstrapToken,
      secretboxEncryptionSecret: secrets.talos.secretboxEncryptionSecret,
      apiServer: {
        image: "registry.k8s.io/kube-apiserver:v1.36.3",
        certSANs: ["api.dev.test", "203.0.113.10"],
      },
      controllerManager: { image: "registry.k8s.io/kube-controller-manager:v1.36.3" },
      scheduler: { image: "registry.k8s.io/kube-scheduler:v1.36.3" },
      proxy: { image: "registry.k8s.io/kube-proxy:v1.36.3" },
    });
    expect(pem(c.cluster.ca.key)).toBe(secrets.cluster.controlPlane.ca.keyPem);
    expect(pem(c.cluster.aggregatorCA.crt)).toBe(secrets.cluster.controlPlane.frontProxyCa.certPem);
    expect(pem(c.cluster.etcd.ca.key)).toBe(secrets.cluster.controlPlane.etcdCa.keyPem);
    expect(pem(c.cluster.serviceAccount.key)).toBe(
      secrets.cluster.controlPlane.serviceAccount.privateKeyPem,
    );
    // Cloud mode everywhere minos runs Talos: nothing to install.
    expect(c.machine.install).toBeUndefined();
    expect(config("control-plane-join")).toEqual(c);
  });

  it("workers carry CA certificates only, never a key, and their pool's labels and taints", () => {
    const c = config("worker");
    expect(c.machine.type).toBe("worker");
    expect(Object.keys(c.machine.ca)).toEqual(["crt"]);
    expect(Object.keys(c.cluster.ca)).toEqual(["crt"]);
    expect(pem(c.cluster.ca.crt)).toBe(secrets.cluster.join.caCertPem);
    for (const absent of ["aggregatorCA", "serviceAccount", "etcd", "secretboxEncryptionSecret"])
      expect(c.cluster[absent]).toBeUndefined();
    expect(render("worker").payload).not.toMatch(
      /PRIVATE KEY|LS0tLS1CRUdJTiBFQ|LS0tLS1CRUdJTiBFRDI1|LS0tLS1CRUdJTiBQUklW/,
    );
    expect(c.machine.nodeLabels).toEqual({ "example.com/pool": "general" });
    expect(c.machine.nodeTaints).toEqual({ dedicated: "general:NoSchedule" });
  });

  it("applies merge patches in order: all nodes, the role, then the pool", () => {
    const options: TalosOptions = {
      configPatches: {
        all: [{ machine: { sysctls: { a: "1", b: "1" } } }],
        workers: [{ machine: { sysctls: { b: "2" } } }],
        pools: { general: [{ machine: { sysctls: { a: null, c: "3" } } }] },
        controlPlane: [{ machine: { sysctls: { d: "4" } } }],
      },
    };
    expect(config("worker", options).machine.sysctls).toEqual({ b: "2", c: "3" });
    expect(config("control-plane", options).machine.sysctls).toEqual({ a: "1", b: "1", d: "4" });
    // The rest of minos' config stays.
    expect(config("worker", options).machine.type).toBe("worker");
  });

  it("renders plain YAML: no anchors or aliases for the SAN list it repeats", () => {
    expect(render("control-plane").payload).not.toMatch(/[&*]a\d/);
  });

  it("renders byte-identical YAML for the same inputs", () => {
    for (const role of ROLES) expect(render(role).payload).toBe(render(role).payload);
    expect(config("control-plane", { cni: "none" }).cluster.network.cni).toEqual({ name: "none" });
  });

  it("redacts every key and token to a fingerprint, so a diff still shows a change", () => {
    const redacted = parse(render("control-plane").redacted ?? "") as Parsed;
    const text = render("control-plane").redacted ?? "";
    for (const secret of [
      secrets.talos.machineToken,
      secrets.talos.clusterSecret,
      secrets.talos.secretboxEncryptionSecret,
      secrets.talos.clusterId,
      secrets.cluster.join.bootstrapToken,
      Buffer.from(secrets.cluster.controlPlane.ca.keyPem).toString("base64"),
    ])
      expect(text).not.toContain(secret);
    expect(redacted.machine.token).toMatch(/^redacted:sha256:[0-9a-f]{16}$/);
    expect(redacted.cluster.id).toMatch(/^redacted:sha256:[0-9a-f]{16}$/);
    expect(redacted.cluster.ca.key).toMatch(/^redacted:sha256:[0-9a-f]{16}$/);
    expect(redacted.cluster.ca.crt).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(redacted.cluster.apiServer.image).toBe("registry.k8s.io/kube-apiserver:v1.36.3");
    expect(undocumentedFields(redacted)).toEqual([]);
  });

  it("refuses bad options before anything is made", () => {
    expect(() => talosOs({ talosVersion: "1.14.0" })).toThrow(/talosVersion.*1\.13/);
    expect(() => talosOs({ talosVersion: "v1.13.9" })).toThrow(/talosVersion/);
    expect(() => talosOs({ schematic: "vanilla" })).toThrow(/schematic/);
    expect(() => talosOs({ configPatches: { all: [[1, 2] as never] } })).toThrow(
      /configPatches\.all\[0\]/,
    );
    expect(() => talosOs({ bootstrapTimeoutSeconds: 1 })).toThrow(/bootstrapTimeoutSeconds/);
    expect(() => talosOs({ kubePrism: "no" as never })).toThrow(
      'minos: invalid kubePrism: "no"; use true or false',
    );
    expect(() => talosOs({ discovery: 0 as never })).toThrow(/invalid discovery: 0/);
  });
});
