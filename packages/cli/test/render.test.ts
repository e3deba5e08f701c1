import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { MinosError } from "@minos/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ignitionValidate } from "../../../test/support/ignition.js";
import { fileContents } from "../../../test/support/ignition-files.js";
import { haveTool } from "../../../test/support/system-tools.js";
import { render } from "../src/index.js";

const MAIN = new URL("../bin/minos.js", import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), "minos-cli-"));

async function payload(argv: string[]): Promise<string> {
  const result = await render(argv);
  if (result === "help") throw new Error("unexpected help");
  return result.payload;
}

describe("minos render", () => {
  it("renders the same bytes from the same secrets file, and makes that file 0600", async () => {
    const secrets = join(tmp(), "secrets.json");
    const args = ["flatcar", "--role", "control-plane", "--platform", "aws", "--secrets", secrets];
    const first = await payload(args);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(await payload(args)).toBe(first);
    const token = JSON.parse(readFileSync(secrets, "utf8")).join.bootstrapToken;
    expect(fileContents(first, "/etc/kubernetes/kubeadm.yaml")).toContain(`token: ${token}`);
  });

  it("makes fresh throwaway secrets without --secrets", async () => {
    const args = ["flatcar", "--role", "worker", "--platform", "kvm"];
    expect(await payload(args)).not.toBe(await payload(args));
  });

  it("honours the Kubernetes version and reports size against the platform limit", async () => {
    const result = await render([
      "flatcar",
      "--role",
      "worker",
      "--platform",
      "aws",
      "--kubernetes-version",
      "1.33.4",
    ]);
    if (result === "help") throw new Error("help");
    expect(result.payload).toContain("kubernetes-v1.33.4-x86-64.raw");
    expect(result.summary).toMatch(
      /^minos: flatcar worker payload for aws: \d+ bytes \(kept in the platform's storage; the node gets a pointer\)$/,
    );
  });

  it("renders a Talos machine config, keeping Talos's own secrets in the secrets file", async () => {
    const secrets = join(tmp(), "secrets.json");
    const args = ["talos", "--role", "control-plane", "--platform", "kvm", "--secrets", secrets];
    const first = await payload(args);
    const stored = JSON.parse(readFileSync(secrets, "utf8"));
    expect(Object.keys(stored.os)).toEqual(["talos"]);
    expect(await payload(args)).toBe(first);
    const config = parse(first);
    expect(config.machine.type).toBe("controlplane");
    expect(config.machine.token).toBe(stored.os.talos.machineToken);
    expect(config.cluster.token).toBe(stored.join.bootstrapToken);
    expect(config.machine.kubelet.image).toBe("ghcr.io/siderolabs/kubelet:v1.36.3");
    // On as talosctl gen config 1.13 has them.
    expect(config.machine.features.kubePrism).toEqual({ enabled: true, port: 7445 });
    expect(config.cluster.discovery).toMatchObject({ enabled: true });
    // The same file still renders Flatcar byte for byte as before.
    const flatcar = ["flatcar", "--role", "worker", "--platform", "kvm", "--secrets", secrets];
    expect(await payload(flatcar)).toBe(await payload(flatcar));
  });

  it("renders Bottlerocket settings for an AWS worker, and says where it cannot run", async () => {
    const toml = await payload(["bottlerocket", "--role", "worker", "--platform", "aws"]);
    expect(toml).toContain('authentication-mode = "tls"');
    await expect(render(["bottlerocket", "--role", "worker", "--platform", "kvm"])).rejects.toThrow(
      /--platform.*bottlerocket runs on aws/,
    );
  });

  it.each([
    [["fedora", "--role", "worker", "--platform", "kvm"], "<os>"],
    [["flatcar", "--role", "master", "--platform", "kvm"], "--role"],
    [["flatcar", "--role", "worker", "--platform", "azure"], "--platform"],
    [
      ["flatcar", "--role", "worker", "--platform", "kvm", "--kubernetes-version", "1.20.0"],
      "--kubernetes-version",
    ],
  ])("names the bad argument: %j", async (argv, argument) => {
    await expect(render(argv)).rejects.toSatisfy(
      (e) => e instanceof MinosError && e.argument === argument,
    );
  });
});

describe("IPv6 endpoints", () => {
  /** Every place a node is told where the API is, per OS, as text. */
  const endpointTexts: Record<string, (payload: string) => string[]> = {
    flatcar: (p) => [fileContents(p, "/etc/kubernetes/kubeadm.yaml")],
    fcos: (p) => [fileContents(p, "/etc/kubernetes/kubeadm.yaml")],
    talos: (p) => [p],
    bottlerocket: (p) => [p],
  };
  it.each(Object.keys(endpointTexts))(
    "%s brackets an IPv6 literal in every address it writes",
    async (os) => {
      const argv = [
        os,
        "--role",
        os === "bottlerocket" ? "worker" : "control-plane",
        "--platform",
        "aws",
      ];
      for (const text of endpointTexts[os]?.(await payload([...argv, "--endpoint", "fd00::1"])) ??
        []) {
        expect(text).toContain("[fd00::1]:6443");
        // Bare only where it stands alone (a certificate SAN); with a port or in a URL, bracketed.
        const bare = text
          .split("\n")
          .filter((line) => /(?<!\[)fd00::1(?!\])/.test(line) && !/^\s*- fd00::1$/.test(line));
        expect(bare).toEqual([]);
      }
    },
  );
});

describe.skipIf(!haveTool("ignition-validate", "ignition-validate"))("the minos command", () => {
  const run = (args: string[]) => promisify(execFile)("node", [MAIN, ...args]);

  it.each(["flatcar", "fcos"])("prints valid Ignition for a %s kvm worker", async (os) => {
    const { stdout, stderr } = await run(["render", os, "--role", "worker", "--platform", "kvm"]);
    expect(ignitionValidate(stdout)).toEqual({ code: 0, output: "" });
    expect(stderr).toMatch(new RegExp(`${os} worker payload for kvm: \\d+ bytes`));
    if (os === "fcos")
      expect(fileContents(stdout, "/etc/kubernetes/kubeadm.yaml")).toContain(
        "criSocket: unix:///var/run/crio/crio.sock",
      );
  });

  it("renders FCOS's sysext where the Fedora sysexts project publishes it, for the node's Fedora release", async () => {
    const { stdout } = await run([
      "render",
      "fcos",
      "--role",
      "worker",
      "--platform",
      "kvm",
      "--kubernetes-version",
      "1.34.1",
    ]);
    const transfer = fileContents(
      stdout,
      "/etc/sysupdate.kubernetes-cri-o-1.34.d/kubernetes-cri-o-1.34.conf",
    );
    expect(transfer).toContain("Path=https://extensions.fcos.fr/fedora/kubernetes-cri-o-1.34/\n");
    expect(transfer).toContain("MatchPattern=kubernetes-cri-o-1.34-@v-%w-%a.raw\n");
    // The transfer's target and its current link's folder, which a fresh node lacks.
    expect(JSON.parse(stdout).storage.directories).toEqual([
      { mode: 0o755, path: "/var/lib/extensions" },
      { mode: 0o755, path: "/var/lib/extensions.d" },
    ]);
    // Outside the project's builds: refused, naming the range.
    await expect(
      run([
        "render",
        "fcos",
        "--role",
        "worker",
        "--platform",
        "kvm",
        "--kubernetes-version",
        "1.37.1",
      ]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/--kubernetes-version.*1\.33 to 1\.36/),
    });
  });

  it("writes --out exactly as it would print", async () => {
    const dir = tmp();
    const args = [
      "render",
      "flatcar",
      "--role",
      "control-plane-join",
      "--platform",
      "gcp",
      "--secrets",
      join(dir, "s.json"),
    ];
    await run([...args, "--out", join(dir, "node.ign")]);
    const { stdout } = await run(args);
    expect(readFileSync(join(dir, "node.ign"), "utf8")).toBe(stdout);
  });

  it("plans an example without credentials: its resources and payload sizes", async () => {
    const example = new URL("../../../examples/kvm-talos", import.meta.url).pathname;
    const { stdout } = await run(["plan", example, "--config", "platform=aws"]);
    const lines = stdout.split("\n");
    expect(lines[0]).toMatch(/^minos plan .*kvm-talos \(kvm-talos\): \d+ resources$/);
    expect(stdout).toMatch(/minos:talos:TalosCluster\s+talos\s+-/);
    expect(stdout).toMatch(
      /pulumi-nodejs:dynamic\/minos-talos:EtcdBootstrap\s+talos-etcd-bootstrap\s+talos/,
    );
    expect(stdout).toMatch(/aws:lb\/loadBalancer:LoadBalancer\s+talos-api\s+talos/);
    expect(stdout).toMatch(/ {2}talos control-plane: \d+ bytes/);
    await expect(run(["plan", "/nonexistent"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("name a folder with a Pulumi.yaml"),
    });
  }, 60_000);

  it("documents itself and exits 2 on bad input", async () => {
    const help = (await run(["render", "--help"])).stdout;
    expect(help).toContain(
      "--role <role>               control-plane | control-plane-join | worker",
    );
    expect(help).toContain("<os>                        flatcar, fcos, bottlerocket, talos");
    await expect(
      run(["render", "flatcar", "--role", "boss", "--platform", "kvm"]),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('minos: invalid --role: "boss"'),
    });
  });

  // One line each, naming what to give; never Node's parser text with a stack, or a raw ENOENT.
  it.each([
    [
      ["render", "flatcar", "--role", "worker", "--platform", "kvm", "--bogus"],
      'minos: invalid --bogus: "--bogus"; there is no such option; use --role, --platform, --kubernetes-version, --arch, --cluster-name, --endpoint, --secrets, --out, --files, --help\n',
    ],
    [
      ["render", "flatcar", "--platform", "kvm"],
      "minos: --role is required: use control-plane, control-plane-join, worker\n",
    ],
    [
      ["render", "flatcar", "--role", "worker"],
      "minos: --platform is required: use aws, gcp, kvm\n",
    ],
    [
      [
        "render",
        "flatcar",
        "--role",
        "worker",
        "--platform",
        "kvm",
        "--secrets",
        "/nonexistent/s.json",
      ],
      "minos: --secrets /nonexistent/s.json: its folder /nonexistent does not exist\n",
    ],
    [
      ["render", "flatcar", "--role", "worker", "--platform", "kvm", "--out", "/nonexistent/n.ign"],
      "minos: --out /nonexistent/n.ign: its folder /nonexistent does not exist\n",
    ],
    [["render", "flatcar", "--role"], "minos: invalid --role: undefined; give it a value\n"],
    [
      ["plan", "examples/kvm-flatcar", "--nope"],
      'minos: invalid --nope: "--nope"; there is no such option; use --config, --json, --help\n',
    ],
  ])("minos %j: one line, exit 2", async (args, stderr) => {
    await expect(run(args)).rejects.toMatchObject({ code: 2, stderr });
  });
});
