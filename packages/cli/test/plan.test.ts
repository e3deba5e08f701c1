import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// The built command, run as a user runs it (`pnpm test` builds before testing).
const MINOS = fileURLToPath(new URL("../bin/minos.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

async function plan(example: string, ...config: string[]) {
  const { stdout } = await promisify(execFile)(
    "node",
    [MINOS, "plan", `examples/${example}`, ...config.flatMap((c) => ["--config", c])],
    { cwd: ROOT, encoding: "utf8", maxBuffer: 16 * 2 ** 20 },
  );
  const rows = stdout
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length === 3 && cols[0]?.includes(":"));
  return {
    stdout,
    /** `<type> <name>` of every resource listed. */
    resources: rows.map(([type, name]) => `${type} ${name}`),
  };
}

const CLUSTERS = [
  "minos:flatcar:FlatcarCluster cmp-flatcar",
  "minos:fcos:FcosCluster cmp-fcos",
  "minos:talos:TalosCluster cmp-talos",
];

describe("minos plan", () => {
  it("lists Fedora CoreOS on AWS: the stream's images answer under mocks", async () => {
    const { stdout, resources } = await plan("kvm-fcos", "platform=aws");
    expect(stdout).toMatch(/^minos plan examples\/kvm-fcos \(kvm-fcos\): \d+ resources$/m);
    expect(resources).toEqual(
      expect.arrayContaining([
        "minos:fcos:FcosCluster fcos",
        "pulumi-nodejs:dynamic/minos-fcos:StreamImages fcos-fcos-stable-amd64",
        "aws:ec2/instance:Instance fcos-control-plane-0",
        "aws:autoscaling/group:Group fcos-worker-general",
        "kubernetes:apps/v1:Deployment nginx",
      ]),
    );
    expect(stdout).toMatch(/fcos control-plane: \d{4,} bytes/);
  });

  // Every OS on every platform it runs on: compare-os puts Flatcar, Fedora
  // CoreOS and Talos on one platform, and Bottlerocket workers too on AWS.
  it.each([
    ["aws", ["platform=aws"], "aws:lb/loadBalancer:LoadBalancer", true],
    [
      "gcp",
      ["platform=gcp", "gcp:region=europe-west1"],
      "gcp:compute/forwardingRule:ForwardingRule",
      false,
    ],
    ["kvm", ["platform=kvm"], "pulumi-nodejs:dynamic/minos-libvirt:Domain", false],
  ] as const)("lists every OS of examples/compare-os on %s", async (_, config, machineType, br) => {
    const { stdout, resources } = await plan("compare-os", ...config);
    expect(resources).toEqual(expect.arrayContaining(CLUSTERS));
    for (const os of ["flatcar", "fcos", "talos"]) {
      expect(
        resources.filter((r) => r.startsWith(`${machineType} cmp-${os}-`)).length,
      ).toBeGreaterThan(0);
      expect(stdout).toMatch(new RegExp(`cmp-${os} control-plane: \\d{3,} bytes`));
      expect(stdout).toMatch(new RegExp(`cmp-${os} worker/general: \\d{3,} bytes`));
    }
    expect(resources.includes("minos:bottlerocket:BottlerocketNodeGroup cmp-bottlerocket")).toBe(
      br,
    );
    if (br) expect(stdout).toMatch(/cmp-bottlerocket worker\/general: \d{3,} bytes/);
  });
});
