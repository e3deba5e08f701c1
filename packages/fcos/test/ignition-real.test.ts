import { existsSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import type { ClusterSecretMaterial, MinosPlatform, NodeRole } from "@minos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ignitionApply, ignitionValidate } from "../../../test/support/ignition.js";
import { expectKubeadmNode } from "../../../test/support/kubeadm-assertions.js";
import type { RenderOptions } from "../../../test/support/secrets.js";
import { renderRole, testSecrets } from "../../../test/support/secrets.js";
import type { SysextServer } from "../../../test/support/sysext-server.js";
import { startSysextServer } from "../../../test/support/sysext-server.js";
import { haveTool, IGNITION_BINARY } from "../../../test/support/system-tools.js";
import { systemdVerify } from "../../../test/support/systemd.js";
import type { FcosOptions } from "../src/index.js";
import { fcosOs } from "../src/index.js";

const haveIgnition =
  haveTool("Ignition", IGNITION_BINARY) && haveTool("ignition-validate", "ignition-validate");
const haveSystemd = haveTool("systemd-analyze", "systemd-analyze");

const ROLES: NodeRole[] = ["control-plane", "control-plane-join", "worker"];
const PLATFORMS: MinosPlatform[] = ["aws", "gcp", "kvm"];
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

function render(
  role: NodeRole,
  platform: MinosPlatform,
  options: FcosOptions = pinned(),
  cluster: RenderOptions = {},
) {
  return renderRole(fcosOs(options), role, platform, secrets, {
    sshAuthorizedKeys: [SSH_KEY],
    ...cluster,
  });
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

        // The pinned build, verified, where sysupdate keeps builds, and linked where
        // systemd-sysext merges it at every boot.
        expect(readFileSync(join(root, "var/lib/extensions.d", server.file))).toEqual(server.bytes);
        expect(readlinkSync(join(root, "var/lib/extensions", `${SYSEXT}.raw`))).toBe(
          `../extensions.d/${server.file}`,
        );
        expect(preset(root)).toContain("enable systemd-sysext.service");
        // The transfer stays: a Zincati upgrade to another Fedora release fetches its build.
        expect(preset(root)).toContain("enable kubernetes-sysext.service");
        expect(preset(root)).toContain("enable kubernetes-sysext.timer");
        expect(existsSync(join(root, `etc/sysupdate.${SYSEXT}.d/${SYSEXT}.conf`))).toBe(true);

        // Coordinated updates: Zincati asks the cluster's FleetLock server, in its role's group.
        expect(read(root, "etc/zincati/config.d/55-minos-updates.toml")).toBe(
          [
            "[identity]",
            `group = "${role === "worker" ? "workers" : "control-plane"}"`,
            "",
            "[updates]",
            'strategy = "fleet_lock"',
            "",
            "[updates.fleet_lock]",
            'base_url = "http://10.96.0.15/"',
            "",
          ].join("\n"),
        );
        const health = read(root, "etc/systemd/system/zincati.service.d/50-minos-node-serves.conf");
        expect(health).toContain(
          role === "worker" ? "http://127.0.0.1:10248/healthz" : "https://127.0.0.1:6443/readyz",
        );

        // What kubeadm's preflight checks for.
        expect(read(root, "etc/modules-load.d/kubernetes.conf")).toBe("br_netfilter\n");
        expect(read(root, "etc/sysctl.d/90-kubernetes.conf")).toBe("net.ipv4.ip_forward = 1\n");

        // etcd's data directory is labelled for containers, on control-plane nodes only.
        expect(preset(root).includes("enable etcd-data-dir.service")).toBe(role !== "worker");
      },
    );
  });

  it("without a pin, writes the project's own transfer and a fetch for the node's Fedora release", async () => {
    const asked = server.requests.length;
    const run = await ignitionApply(
      render("worker", "kvm", { sysext: { baseUrl: server.baseUrl } }),
    );
    expect(run.code, run.log).toBe(0);
    // Exactly the project's template (.github/workflow-templates/systemd-sysupdate.conf), on our mirror.
    expect(read(run.root, `etc/sysupdate.${SYSEXT}.d/${SYSEXT}.conf`)).toBe(
      [
        "[Transfer]",
        "Verify=false",
        "",
        "[Source]",
        "Type=url-file",
        `Path=${server.baseUrl}/${SYSEXT}/`,
        `MatchPattern=${SYSEXT}-@v-%w-%a.raw`,
        "",
        "[Target]",
        "InstancesMax=2",
        "Type=regular-file",
        "Path=/var/lib/extensions.d/",
        `MatchPattern=${SYSEXT}-@v-%w-%a.raw`,
        `CurrentSymlink=/var/lib/extensions/${SYSEXT}.raw`,
        "",
      ].join("\n"),
    );
    const fetch = read(run.root, "etc/systemd/system/kubernetes-sysext.service");
    expect(fetch).toContain(
      `ExecStart=/usr/lib/systemd/systemd-sysupdate --component=${SYSEXT} update`,
    );
    expect(fetch).toContain("Before=kubeadm.service zincati.service");
    expect(preset(run.root)).toContain("enable kubernetes-sysext.service");
    expect(existsSync(join(run.root, "var/lib/extensions", `${SYSEXT}.raw`))).toBe(false);
    // Nothing was fetched by Ignition itself.
    expect(server.requests.length).toBe(asked);
  });

  it("with updates off, Zincati never updates and waits for nothing", async () => {
    const run = await ignitionApply(
      render("control-plane", "kvm", pinned(), { osUpdates: { mode: "off" } }),
    );
    expect(run.code, run.log).toBe(0);
    expect(read(run.root, "etc/zincati/config.d/55-minos-updates.toml")).toBe(
      "[updates]\nenabled = false\n",
    );
    expect(existsSync(join(run.root, "etc/systemd/system/zincati.service.d"))).toBe(false);
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
        const units = ["kubeadm.service", "kubernetes-sysext.service", "kubernetes-sysext.timer"];
        if (role !== "worker") units.push("etcd-data-dir.service");
        const verify = systemdVerify(run.root, units, {
          // What Fedora CoreOS and the sysext ship; anything else referenced fails verification.
          binaries: [
            "/usr/bin/kubeadm",
            "/usr/bin/systemctl",
            "/usr/bin/install",
            "/usr/bin/chcon",
            "/usr/lib/systemd/systemd-sysupdate",
            "/usr/bin/sh",
          ],
          units: ["crio.service", "kubelet.service", "systemd-sysext.service", "zincati.service"],
        });
        expect(verify, `${role} ${options.sysext?.image ? "pinned" : "sysupdate"}`).toEqual({
          code: 0,
          output: "",
        });
      }
    }
  });
});
