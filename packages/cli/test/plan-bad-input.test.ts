import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

// The built command, run as a user runs it on a program of their own.
const MINOS = fileURLToPath(new URL("../bin/minos.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
// Inside the clone (ignored by git), so the program finds the workspace's packages.
const PROGRAMS = join(ROOT, ".minos", "plan-bad-input");
afterAll(() => rmSync(PROGRAMS, { recursive: true, force: true }));

const IMPORTS = `import { aws } from "@minos/aws";
import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { FlatcarCluster } from "@minos/flatcar";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
`;

const PEM_KEY =
  "-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIBm6v1VqzAXXq3Ql0mJk0nC1ZxvlZcTt0LGrk0cGxwQ5\\n-----END PRIVATE KEY-----";

/**
 * Issue-reported inputs a user gets wrong, each as the body of a program:
 * `minos plan` must exit 2 with one line naming the argument.
 */
const CASES: [what: string, body: string, argument: string, message: RegExp][] = [
  [
    "a typo in the update window",
    `new FlatcarCluster("a", { platform: kvm(), osUpdates: { window: { dayz: ["Sat"], start: "02:00", lengthMinutes: 60 } } });`,
    "osUpdates.window.dayz",
    /did you mean days\?/,
  ],
  [
    "a Bottlerocket settings section that is not a table",
    `const c = new FlatcarCluster("a", { platform: aws() });
new BottlerocketNodeGroup("rocket", { cluster: c, nodePools: { a: { count: 1 } }, extraSettings: { kubernetes: ["max-pods=10"] } });`,
    "extraSettings.kubernetes",
    /table/,
  ],
  [
    "a pool token that has already expired",
    `new FlatcarCluster("a", { platform: kvm(), nodePools: { a: { count: 1, bootstrapToken: { expiresAt: "2020-01-01T00:00:00Z" } } } });`,
    "nodePools.a.bootstrapToken.expiresAt",
    /that time has passed/,
  ],
  [
    "an arm64 instance type in an amd64 AWS cluster",
    `new FlatcarCluster("a", { platform: aws(), nodePools: { general: { count: 1, machineType: "t4g.large" } } });`,
    "nodePools.general.machineType",
    /arm64 type and the cluster runs amd64/,
  ],
  [
    "a sysext pin for another Kubernetes release",
    `new FlatcarCluster("a", { platform: kvm(), kubernetesVersion: "1.37.1", sysext: { hashes: { "kubernetes-v1.36.4-x86-64.raw": "sha256-${"0".repeat(64)}" } } });`,
    "sysext.hashes",
    /pin it too/,
  ],
  [
    "an empty apiAllowedCidrs",
    `new FlatcarCluster("a", { platform: aws({ apiAllowedCidrs: [] }) });`,
    "apiAllowedCidrs",
    /list at least the network Pulumi runs from/,
  ],
  [
    "two clusters of one name",
    `new FlatcarCluster("a", { platform: kvm() });
new FlatcarCluster("a", { platform: kvm({ cidr: "10.92.0.0/24" }) });`,
    "name",
    /already has a cluster of that name/,
  ],
  [
    "a cluster name Cloud Storage refuses",
    `new FlatcarCluster("my-google-lab", { platform: gcp({ region: "europe-west1" }) });`,
    "name",
    /contain google/,
  ],
  [
    "a GCP surge below the zones a group spans",
    `new FlatcarCluster("a", { platform: gcp({ region: "europe-west1" }), nodePools: { a: { count: 4, rollout: { maxSurge: 1 } } } });`,
    "nodePools.a.rollout.maxSurge",
    /at least 3, the zones every pool spans/,
  ],
  [
    "a private key pasted for a public one",
    `new FlatcarCluster("a", { platform: kvm(), sshAuthorizedKeys: ["${PEM_KEY}"] });`,
    "sshAuthorizedKeys[0]",
    /a PEM private key/,
  ],
];

async function planOf(name: string, body: string) {
  const dir = join(PROGRAMS, name.replace(/[^a-z0-9]+/gi, "-"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "Pulumi.yaml"), `name: bad-input\nruntime: nodejs\n`);
  writeFileSync(join(dir, "index.ts"), `${IMPORTS}\n${body}\n`);
  try {
    await promisify(execFile)("node", [MINOS, "plan", dir, "--config", "aws:region=eu-west-1"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    return { code: 0, stdout: "", stderr: "" };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("minos plan on a program with a bad input", () => {
  it.concurrent.each(CASES)(
    "%s: exit 2, one line naming the argument, no resource listed",
    async (what, body, argument, message) => {
      const { code, stdout, stderr } = await planOf(what, body);
      expect(code, stderr).toBe(2);
      // Warnings may come first (an open API, say); the error is one line, and the last.
      const errors = stderr
        .trim()
        .split("\n")
        .filter((line) => line.startsWith("minos: "));
      expect(errors, stderr).toHaveLength(1);
      expect(stderr.trim().endsWith(errors[0] as string), stderr).toBe(true);
      expect(errors[0]).toMatch(
        new RegExp(`^minos: invalid ${argument.replace(/[.[\]]/g, "\\$&")}[: ]`),
      );
      expect(errors[0]).toMatch(message);
      expect(stdout).not.toMatch(/aws:|gcp:|minos:libvirt/);
      expect(stderr).not.toContain(
        "MC4CAQAwBQYDK2VwBCIEIBm6v1VqzAXXq3Ql0mJk0nC1ZxvlZcTt0LGrk0cGxwQ5",
      );
    },
    120_000,
  );
});
