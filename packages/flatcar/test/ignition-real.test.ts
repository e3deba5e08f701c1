import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import type { ClusterSecretMaterial, MinosPlatform, NodeRole } from "@minos/core";
import { parseKubernetesVersion } from "@minos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ignitionApply, ignitionValidate } from "../../../test/support/ignition.js";
import { expectKubeadmNode } from "../../../test/support/kubeadm-assertions.js";
import type { RenderOptions } from "../../../test/support/secrets.js";
import { renderRole, testSecrets } from "../../../test/support/secrets.js";
import type { SysextServer } from "../../../test/support/sysext-server.js";
import { startSysextServer } from "../../../test/support/sysext-server.js";
import { haveTool, IGNITION_BINARY } from "../../../test/support/system-tools.js";
import { systemdVerify } from "../../../test/support/systemd.js";
import { flatcarOs, sysextFileName } from "../src/index.js";

const haveIgnition =
  haveTool("Ignition", IGNITION_BINARY) && haveTool("ignition-validate", "ignition-validate");
const haveSystemd = haveTool("systemd-analyze", "systemd-analyze");

const ROLES: NodeRole[] = ["control-plane", "control-plane-join", "worker"];
const PLATFORMS: MinosPlatform[] = ["aws", "gcp", "kvm"];
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMinosTestKey test@minos";

let server: SysextServer;
let secrets: ClusterSecretMaterial;
const file = sysextFileName(parseKubernetesVersion("k", "1.36.5"), "amd64");

beforeAll(async () => {
  server = await startSysextServer(file);
  secrets = await testSecrets();
});
afterAll(() => server?.close());

function render(
  role: NodeRole,
  platform: MinosPlatform,
  options: Parameters<typeof flatcarOs>[0] = {},
  cluster: RenderOptions = {},
) {
  const os = flatcarOs({
    sysext: { baseUrl: server.baseUrl, hashes: { [file]: server.hash } },
    ...options,
  });
  return renderRole(os, role, platform, secrets, { sshAuthorizedKeys: [SSH_KEY], ...cluster });
}

const read = (root: string, path: string) => readFileSync(join(root, path), "utf8");

describe.skipIf(!haveIgnition)("Flatcar Ignition, checked by the real Ignition", () => {
  describe.each(PLATFORMS)("on %s", (platform) => {
    it.each(ROLES)("%s passes ignition-validate", (role) => {
      const config = render(role, platform);
      console.log(`flatcar ${role} on ${platform}: ${Buffer.byteLength(config)} bytes`);
      expect(ignitionValidate(config)).toEqual({ code: 0, output: "" });
    });

    it.each(ROLES)("%s applied by ignition writes kubeadm, PKI, sysext and units", async (role) => {
      const run = await ignitionApply(render(role, platform));
      expect(run.code, run.log).toBe(0);
      const { root } = run;
      expectKubeadmNode(root, role, secrets, SSH_KEY);

      // The sysext image fetched from our mirror, verified, and linked.
      expect(readFileSync(join(root, "opt/extensions/kubernetes", file))).toEqual(server.bytes);
      expect(readlinkSync(join(root, "etc/extensions/kubernetes.raw"))).toBe(
        `/opt/extensions/kubernetes/${file}`,
      );
      const transfer = read(root, "etc/sysupdate.kubernetes.d/kubernetes-v1.36.conf");
      expect(transfer).toContain(`Path=${server.baseUrl}/kubernetes/`);
      expect(transfer).toContain("MatchPattern=kubernetes-v1.36.@v-%a.raw");

      // kubelet is the sysext's to start; no update timer unless asked.
      const preset = read(root, "etc/systemd/system-preset/20-ignition.preset");
      expect(preset).not.toContain("kubelet");
      expect(preset).not.toContain("systemd-sysupdate.timer");

      // Coordinated updates: update_engine stages them, locksmithd never reboots on its own.
      expect(readlinkSync(join(root, "etc/systemd/system/locksmithd.service"))).toBe("/dev/null");
      expect(existsSync(join(root, "etc/flatcar/update.conf"))).toBe(false);
    });
  });

  it("with updates off, points update_engine nowhere and still never reboots on its own", async () => {
    const run = await ignitionApply(
      render("control-plane", "aws", {}, { osUpdates: { mode: "off" } }),
    );
    expect(run.code, run.log).toBe(0);
    expect(read(run.root, "etc/flatcar/update.conf")).toBe("SERVER=disabled\n");
    expect(readlinkSync(join(run.root, "etc/systemd/system/locksmithd.service"))).toBe("/dev/null");
  });

  it("refuses a sysext whose hash does not match the pin", async () => {
    const wrong = `sha256-${"0".repeat(64)}`;
    const os = flatcarOs({ sysext: { baseUrl: server.baseUrl, hashes: { [file]: wrong } } });
    const run = await ignitionApply(renderRole(os, "worker", "kvm", secrets));
    expect(run.code).not.toBe(0);
    expect(run.log).toMatch(/hash|mismatch/i);
  });

  it("merges user Ignition last: a user file and unit override minos' own", async () => {
    const config = render("worker", "kvm", {
      extraIgnition: [
        {
          ignition: { version: "3.3.0" },
          storage: {
            files: [
              {
                path: "/etc/motd",
                mode: 420,
                contents: { source: "data:,hello%20from%20user%0A" },
              },
            ],
          },
          systemd: { units: [{ name: "kubeadm.service", enabled: false }] },
        },
      ],
    });
    const run = await ignitionApply(config);
    expect(run.code, run.log).toBe(0);
    expect(read(run.root, "etc/motd")).toBe("hello from user\n");
    expect(read(run.root, "etc/systemd/system-preset/20-ignition.preset")).toContain(
      "disable kubeadm.service",
    );
    // The user changed one field; minos' unit contents stay.
    expect(read(run.root, "etc/systemd/system/kubeadm.service")).toContain(
      "ExecStart=/usr/bin/kubeadm join",
    );
  });

  it("holding a virtual API address: kube-vip's manifests land where the kubelet and kubeadm expect them, and the unit verifies", async () => {
    for (const role of ["control-plane", "control-plane-join"] as const) {
      const config = render(role, "kvm", {}, { virtualIp: true });
      expect(ignitionValidate(config)).toEqual({ code: 0, output: "" });
      const run = await ignitionApply(config);
      expect(run.code, run.log).toBe(0);
      const staged = read(run.root, "etc/minos/kube-vip.yaml");
      expect(staged).toContain("path: /etc/kubernetes/admin.conf");
      expect(staged).toContain("value: 10.77.0.5");
      // The first node runs it through kubeadm init; a joining node's folder stays empty for join's preflight.
      expect(existsSync(join(run.root, "etc/kubernetes/manifests/kube-vip.yaml"))).toBe(
        role === "control-plane",
      );
      if (role === "control-plane")
        expect(read(run.root, "etc/kubernetes/manifests/kube-vip.yaml")).toContain(
          "path: /etc/kubernetes/super-admin.conf",
        );
      if (!haveSystemd) continue;
      const verify = systemdVerify(run.root, ["kubeadm.service"], {
        binaries: ["/usr/bin/kubeadm", "/usr/bin/install"],
        units: ["containerd.service"],
      });
      expect(verify).toEqual({ code: 0, output: "" });
    }
  });

  it.skipIf(!haveSystemd)(
    "every unit and drop-in minos renders passes systemd-analyze verify",
    async () => {
      for (const role of ROLES) {
        const run = await ignitionApply(
          render(role, "aws", {
            sysext: { baseUrl: server.baseUrl, hashes: { [file]: server.hash }, autoUpdate: true },
          }),
        );
        expect(run.code, run.log).toBe(0);
        expect(read(run.root, "etc/systemd/system-preset/20-ignition.preset")).toContain(
          "enable systemd-sysupdate.timer",
        );
        const verify = systemdVerify(run.root, ["kubeadm.service", "systemd-sysupdate.service"], {
          // What Flatcar and its Kubernetes sysext ship; anything else referenced fails verification.
          binaries: ["/usr/bin/kubeadm", "/usr/bin/sh", "/usr/lib/systemd/systemd-sysupdate"],
          units: [
            "containerd.service",
            "kubelet.service",
            "systemd-sysupdate.service",
            "systemd-sysupdate.timer",
          ],
        });
        expect(verify).toEqual({ code: 0, output: "" });
      }
    },
  );
});
