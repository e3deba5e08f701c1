import { lstatSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { ClusterSecretMaterial, NodeRole } from "@minos/core";
import { expect } from "vitest";
import { parseAllDocuments } from "yaml";

const read = (root: string, path: string) => readFileSync(join(root, path), "utf8");
const mode = (root: string, path: string) => statSync(join(root, path)).mode & 0o777;

/**
 * What every kubeadm node must find on disk after Ignition ran, whatever its
 * OS: the kubeadm config for its role (0600) with the cluster's endpoint,
 * token, CA hash and CIDRs; CA material on control-plane nodes only, keys
 * 0600; the kubeadm oneshot; the login user's SSH key.
 */
export function expectKubeadmNode(
  root: string,
  role: NodeRole,
  secrets: ClusterSecretMaterial,
  sshKey: string,
): void {
  expect(mode(root, "etc/kubernetes/kubeadm.yaml")).toBe(0o600);
  const docs = parseAllDocuments(read(root, "etc/kubernetes/kubeadm.yaml")).map((d) => d.toJS());
  if (role === "control-plane") {
    expect(docs.map((d) => d.kind)).toEqual([
      "InitConfiguration",
      "ClusterConfiguration",
      "KubeletConfiguration",
    ]);
    expect(docs[0].bootstrapTokens[0].token).toBe(secrets.join.bootstrapToken);
    expect(docs[1]).toMatchObject({
      controlPlaneEndpoint: "api.dev.test:6443",
      networking: { podSubnet: "10.244.0.0/16", serviceSubnet: "10.96.0.0/12" },
      apiServer: { certSANs: ["api.dev.test", "203.0.113.10"] },
    });
  } else {
    expect(docs.map((d) => d.kind)).toEqual(["JoinConfiguration"]);
    expect(docs[0].discovery.bootstrapToken).toEqual({
      apiServerEndpoint: "api.dev.test:6443",
      token: secrets.join.bootstrapToken,
      caCertHashes: [secrets.join.caCertHash],
    });
    expect(docs[0].controlPlane).toEqual(role === "worker" ? undefined : { localAPIEndpoint: {} });
  }

  if (role === "worker") {
    expect(() => lstatSync(join(root, "etc/kubernetes/pki"))).toThrow();
    expect(JSON.stringify(docs)).not.toContain("PRIVATE KEY");
  } else {
    expect(read(root, "etc/kubernetes/pki/ca.crt")).toBe(secrets.controlPlane.ca.certPem);
    expect(read(root, "etc/kubernetes/pki/ca.key")).toBe(secrets.controlPlane.ca.keyPem);
    expect(read(root, "etc/kubernetes/pki/etcd/ca.key")).toBe(secrets.controlPlane.etcdCa.keyPem);
    expect(read(root, "etc/kubernetes/pki/sa.pub")).toBe(
      secrets.controlPlane.serviceAccount.publicKeyPem,
    );
    for (const key of ["ca.key", "front-proxy-ca.key", "etcd/ca.key", "sa.key"])
      expect(mode(root, `etc/kubernetes/pki/${key}`)).toBe(0o600);
    expect(mode(root, "etc/kubernetes/pki/ca.crt")).toBe(0o644);
  }

  const unit = read(root, "etc/systemd/system/kubeadm.service");
  expect(unit).toContain(
    `ExecStart=/usr/bin/kubeadm ${role === "control-plane" ? "init" : "join"} --config=/etc/kubernetes/kubeadm.yaml`,
  );
  expect(unit).toContain("ConditionPathExists=!/etc/kubernetes/kubelet.conf");
  expect(read(root, "etc/systemd/system-preset/20-ignition.preset")).toContain(
    "enable kubeadm.service",
  );

  expect(read(root, "home/core/.ssh/authorized_keys.d/ignition").trim()).toBe(sshKey);
}
