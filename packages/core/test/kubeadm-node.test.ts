import { describe, expect, it } from "vitest";
import { workerContext } from "../../../test/support/context.js";
import { fileContents } from "../../../test/support/ignition-files.js";
import { ignition } from "../src/index.js";

const ctx = workerContext({
  kubernetesVersion: "1.35.2",
  node: {
    pool: "general",
    labels: {},
    taints: [],
    kubeletExtraArgs: {},
    sshAuthorizedKeys: ["ssh-ed25519 AAAA me"],
  },
});

/** An OS shaped like Fedora CoreOS with CRI-O: only `os` differs from Flatcar. */
const crioOs: ignition.KubeadmIgnitionOs = {
  kubeadm: { criSocket: "unix:///var/run/crio/crio.sock" },
  runtime: { unit: "crio.service" },
  loginUser: "core",
  kubernetes: (c) => ({ files: [{ path: "/etc/k8s-version", contents: c.kubernetes.text }] }),
  updates: (c) => ({ files: [{ path: "/etc/updates", contents: c.osUpdates.mode }] }),
  extraIgnition: [],
};

describe("kubeadm node over Ignition", () => {
  it("waits for the OS's runtime and registers on its CRI socket", () => {
    const config = ignition.renderKubeadmIgnition("worker", ctx, crioOs);
    const unit = JSON.parse(config).systemd.units.find(
      (u: { name: string }) => u.name === "kubeadm.service",
    ).contents;
    expect(unit).toContain("Requires=crio.service");
    expect(unit).toContain("After=network-online.target crio.service systemd-sysext.service");
    expect(fileContents(config, "/etc/kubernetes/kubeadm.yaml")).toContain(
      "criSocket: unix:///var/run/crio/crio.sock",
    );
    expect(fileContents(config, "/etc/k8s-version")).toBe("1.35.2");
    expect(fileContents(config, "/etc/updates")).toBe("coordinated");
    expect(JSON.parse(config).passwd.users).toEqual([
      { name: "core", sshAuthorizedKeys: ["ssh-ed25519 AAAA me"] },
    ]);
  });

  it("starts a runtime that arrives with a sysext itself instead of requiring it at boot", () => {
    const config = ignition.renderKubeadmIgnition("worker", ctx, {
      ...crioOs,
      runtime: { unit: "crio.service", fromSysext: true },
    });
    const unit = JSON.parse(config).systemd.units.find(
      (u: { name: string }) => u.name === "kubeadm.service",
    ).contents;
    expect(unit).not.toContain("Requires=");
    expect(unit).toContain("After=network-online.target crio.service systemd-sysext.service");
    expect(unit).toContain("ExecStartPre=/usr/bin/systemctl start crio.service");
  });

  it("refuses to render a control-plane node without its secrets", () => {
    expect(() => ignition.renderKubeadmIgnition("control-plane", ctx, crioOs)).toThrow(
      /needs the control-plane secrets/,
    );
  });
});
