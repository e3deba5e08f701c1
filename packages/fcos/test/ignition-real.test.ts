import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterSecretMaterial, NodeRole, PlatformName } from "@minos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ignitionApply, ignitionValidate } from "../../../test/support/ignition.js";
import { expectKubeadmNode } from "../../../test/support/kubeadm-assertions.js";
import { renderRole, testSecrets } from "../../../test/support/secrets.js";
import { type SysextServer, startSysextServer } from "../../../test/support/sysext-server.js";
import { haveTool, IGNITION_BINARY } from "../../../test/support/system-tools.js";
import { systemdVerify } from "../../../test/support/systemd.js";
import { type FcosOptions, fcosOs } from "../src/index.js";

const haveIgnition =
  haveTool("Ignition", IGNITION_BINARY) && haveTool("ignition-validate", "ignition-validate");
const haveSystemd = haveTool("systemd-analyze", "systemd-analyze");

const ROLES: NodeRole[] = ["control-plane", "control-plane-join", "worker"];
const PLATFORMS: PlatformName[] = ["aws", "gcp", "kvm"];
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMinosTestKey test@minos";
const SYSEXT = "kubernetes-cri-o-1.36";

let server: SysextServer;
let secrets: ClusterSecretMaterial;

beforeAll(async () => {
  server = await startSysextServer(`${SYSEXT}-1.36.5-1.fc43-43-x86-64.raw`);
  secrets = await testSecrets();
});
afterAll(() => server?.close());

/** Pinned: Ignition fetches the build from our mirror and checks its SHA-256. */
const pinned = (): FcosOptions => ({
  sysext: {
    image: { url: `${server.baseUrl}/${server.file}`, sha256: server.hash.slice("sha256-".length) },
  },
});

function render(role: NodeRole, platform: PlatformName, options: FcosOptions = pinned()) {
  return renderRole(fcosOs(options), role, platform, secrets, { sshAuthorizedKeys: [SSH_KEY] });
}

const read = (root: string, path: string) => readFileSync(join(root, path), "utf8");
const preset = (root: string) => read(root, "etc/systemd/system-preset/20-ignition.preset");

describe.skipIf(!haveIgnition)("Fedora CoreOS Ignition, checked by the real Ignition", () => {
  describe.each(PLATFORMS)("on %s", (platform) => {
    it.each(ROLES)("%s passes ignition-validate, pinned and fetched on first boot", (role) => {
      for (const options of [pinned(), {}]) {
        const config = render(role, platform, options);
        console.log(
          `fcos ${role} on ${platform} (${options.sysext ? "pinned" : "sysupdate"}): ${Buffer.byteLength(config)} bytes`,
        );
        expect(ignitionValidate(config)).toEqual({ code: 0, output: "" });
      }
    });

    it.each(ROLES)(
      "%s applied by ignition writes kubeadm, PKI, the sysext and units",
      async (role) => {
        const run = await ignitionApply(render(role, platform));
        expect(run.code, run.log).toBe(0);
        const { root } = run;
        expectKubeadmNode(root, role, secrets, SSH_KEY);

        // CRI-O from the sysext: kubeadm registers on its socket and starts it itself.
        expect(read(root, "etc/kubernetes/kubeadm.yaml")).toContain(
          "criSocket: unix:///var/run/crio/crio.sock",
        );
        const kubeadm = read(root, "etc/systemd/system/kubeadm.service");
        expect(kubeadm).not.toContain("Requires=");
        expect(kubeadm).toContain("ExecStartPre=/usr/bin/systemctl start crio.service");

        // The pinned build, verified, where systemd-sysext merges it at every boot.
        expect(readFileSync(join(root, "var/lib/extensions", `${SYSEXT}.raw`))).toEqual(
          server.bytes,
        );
        expect(preset(root)).toContain("enable systemd-sysext.service");
        expect(preset(root)).not.toContain("kubernetes-sysext.service");
        expect(existsSync(join(root, `etc/sysupdate.${SYSEXT}.d`))).toBe(false);

        // What kubeadm's preflight checks for.
        expect(read(root, "etc/modules-load.d/kubernetes.conf")).toBe("br_netfilter\n");
        expect(read(root, "etc/sysctl.d/90-kubernetes.conf")).toBe("net.ipv4.ip_forward = 1\n");

        // etcd's data directory is labelled for containers, on control-plane nodes only.
        expect(preset(root).includes("enable etcd-data-dir.service")).toBe(role !== "worker");
      },
    );
  });

  it("without a pin, writes the project's sysupdate transfer and a first-boot fetch", async () => {
    const run = await ignitionApply(
      render("worker", "kvm", { sysext: { baseUrl: server.baseUrl } }),
    );
    expect(run.code, run.log).toBe(0);
    const transfer = read(run.root, `etc/sysupdate.${SYSEXT}.d/${SYSEXT}.conf`);
    expect(transfer).toContain(`Path=${server.baseUrl}/%o-%W-%w/`);
    expect(transfer).toContain(`MatchPattern=${SYSEXT}-@v-%a.raw`);
    expect(transfer).toContain(`CurrentSymlink=/var/lib/extensions/${SYSEXT}.raw`);
    const fetch = read(run.root, "etc/systemd/system/kubernetes-sysext.service");
    expect(fetch).toContain(
      `ExecStart=/usr/lib/systemd/systemd-sysupdate --component=${SYSEXT} update`,
    );
    expect(fetch).toContain("Before=kubeadm.service");
    expect(preset(run.root)).toContain("enable kubernetes-sysext.service");
    expect(existsSync(join(run.root, "var/lib/extensions", `${SYSEXT}.raw`))).toBe(false);
    // Nothing was fetched by Ignition itself.
    expect(server.requests.filter((r) => r.includes("%o"))).toEqual([]);
  });

  it("refuses a pinned sysext whose SHA-256 does not match", async () => {
    const run = await ignitionApply(
      render("worker", "kvm", {
        sysext: { image: { url: `${server.baseUrl}/${server.file}`, sha256: "0".repeat(64) } },
      }),
    );
    expect(run.code).not.toBe(0);
    expect(run.log).toMatch(/hash|mismatch/i);
  });

  it("merges user Ignition last: a user file replaces minos' own by path", async () => {
    const run = await ignitionApply(
      render("worker", "gcp", {
        ...pinned(),
        extraIgnition: [
          {
            ignition: { version: "3.3.0" },
            storage: {
              files: [
                {
                  path: "/etc/sysctl.d/90-kubernetes.conf",
                  mode: 420,
                  contents: {
                    source: "data:,net.ipv4.ip_forward%20%3D%201%0Avm.swappiness%20%3D%200%0A",
                  },
                },
              ],
            },
          },
        ],
      }),
    );
    expect(run.code, run.log).toBe(0);
    expect(read(run.root, "etc/sysctl.d/90-kubernetes.conf")).toBe(
      "net.ipv4.ip_forward = 1\nvm.swappiness = 0\n",
    );
  });

  it.skipIf(!haveSystemd)("every unit minos renders passes systemd-analyze verify", async () => {
    for (const role of ROLES) {
      for (const options of [pinned(), { sysext: { baseUrl: server.baseUrl } }]) {
        const run = await ignitionApply(render(role, "aws", options));
        expect(run.code, run.log).toBe(0);
        const units = ["kubeadm.service"];
        if (role !== "worker") units.push("etcd-data-dir.service");
        if (!options.sysext?.image) units.push("kubernetes-sysext.service");
        const verify = systemdVerify(run.root, units, {
          // What Fedora CoreOS and the sysext ship; anything else referenced fails verification.
          binaries: [
            "/usr/bin/kubeadm",
            "/usr/bin/systemctl",
            "/usr/bin/install",
            "/usr/bin/chcon",
            "/usr/lib/systemd/systemd-sysupdate",
          ],
          units: ["crio.service", "kubelet.service", "systemd-sysext.service"],
        });
        expect(verify, `${role} ${options.sysext?.image ? "pinned" : "sysupdate"}`).toEqual({
          code: 0,
          output: "",
        });
      }
    }
  });
});
