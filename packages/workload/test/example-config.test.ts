import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { configKey, declaredConfig, exampleConfig, readmeDefault } from "../src/index.js";

/** The stack's config, as `pulumi config set` leaves it; bare keys are the project's. */
function stackConfig(config: Record<string, string>): void {
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(config).map(([k, v]) => [k.includes(":") ? k : `demo:${k}`, v]),
    ),
  );
}

const KEYS = {
  kubernetesVersion: configKey.string("Kubernetes release", { default: "1.37.1" }),
  controlPlaneCount: configKey.integer("control-plane nodes", { default: 1 }),
  machineType: configKey.string("machine size", { unset: "the platform's" }),
  apiAllowedCidrs: configKey.list("who may reach the API", { default: ["0.0.0.0/0"] }),
  sshAuthorizedKeys: configKey.list("SSH keys", { default: [] }),
  sysextHashes: configKey.object<Record<string, string>>("sysext hashes"),
  platform: configKey.oneOf(["kvm", "aws"], "where", { default: "kvm" }),
  "gcp:region": configKey.string("region"),
};

describe("exampleConfig", () => {
  beforeEach(() => {
    pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs },
      "demo",
      "dev",
    );
  });

  it("reads each declared key with its type, or its default when unset", () => {
    stackConfig({
      controlPlaneCount: "3",
      apiAllowedCidrs: '["203.0.113.0/24"]',
      sysextHashes: '{"k.raw":"sha256-00"}',
      platform: "aws",
      "gcp:region": "europe-west1",
    });
    expect({ ...exampleConfig(KEYS) }).toEqual({
      kubernetesVersion: "1.37.1",
      controlPlaneCount: 3,
      machineType: undefined,
      apiAllowedCidrs: ["203.0.113.0/24"],
      sshAuthorizedKeys: [],
      sysextHashes: { "k.raw": "sha256-00" },
      platform: "aws",
      "gcp:region": "europe-west1",
    });
  });

  it("refuses an undeclared key of the project's namespace with a did-you-mean, and passes other namespaces", () => {
    stackConfig({ "aws:region": "eu-west-1", "kubernetes:context": "x" });
    expect(() => exampleConfig(KEYS)).not.toThrow();
    stackConfig({ "aws:region": "eu-west-1", machinetype: "2cpu-4gb" });
    expect(() => exampleConfig(KEYS)).toThrow(
      'minos: invalid config key: "machinetype"; demo reads no such key (did you mean machineType?); it reads apiAllowedCidrs, controlPlaneCount, kubernetesVersion, machineType, platform, sshAuthorizedKeys, sysextHashes; remove it with pulumi config rm machinetype',
    );
    stackConfig({ flavour: "vanilla" });
    expect(() => exampleConfig(KEYS)).toThrow(/"flavour"; demo reads no such key; it reads /);
  });

  it.each([
    ["controlPlaneCount", "abc", '"abc"; use a whole number'],
    ["controlPlaneCount", "1.5", '"1.5"; use a whole number'],
    ["apiAllowedCidrs", "[1]", "use a list of strings"],
    ["sysextHashes", '["a"]', "use an object: pulumi config set --path 'sysextHashes.<field>'"],
    ["platform", "gcp", '"gcp"; use kvm, aws'],
  ])("refuses %s=%s, naming the key", (key, value, allowed) => {
    stackConfig({ [key]: value });
    expect(() => exampleConfig(KEYS)).toThrow(`minos: invalid config ${key}: `);
    expect(() => exampleConfig(KEYS)).toThrow(allowed);
  });

  it("leaves a required key's absence to Pulumi's own error, which names the command", () => {
    stackConfig({});
    expect(() =>
      exampleConfig({ "gcp:region": configKey.string("region", { required: true }) }),
    ).toThrow(/Missing required configuration variable 'gcp:region'/);
  });

  it("lists what it declared, as a README shows it, and which keys the program read", () => {
    stackConfig({});
    const config = exampleConfig(KEYS);
    expect(config.kubernetesVersion).toBe("1.37.1");
    const declared = declaredConfig();
    expect(declared.filter((k) => k.read).map((k) => k.name)).toEqual(["kubernetesVersion"]);
    expect(Object.fromEntries(declared.map((k) => [k.name, k.default]))).toEqual({
      kubernetesVersion: "`1.37.1`",
      controlPlaneCount: "`1`",
      machineType: "the platform's",
      apiAllowedCidrs: '`["0.0.0.0/0"]`',
      sshAuthorizedKeys: "none",
      sysextHashes: "none",
      platform: "`kvm`",
      "gcp:region": "none",
    });
    expect(readmeDefault(configKey.string("region", { required: true }))).toBe("required");
  });
});
