import type { MinosPlatform } from "@minos/core";
import {
  MAX_CLUSTER_NAME,
  MAX_POOL_NAME,
  MinosError,
  validateClusterName,
  validatePoolName,
} from "@minos/core";
import { describe, expect, it } from "vitest";
import type { EveryOsNames } from "./support/every-os.js";
import { everyOs } from "./support/every-os.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { isSecretInput, plain } from "./support/pulumi-mocks.js";

const LIBVIRT = (kind: string) => `pulumi-nodejs:dynamic/minos-libvirt:${kind}`;
/** AWS load balancer and target group names. */
const AWS_LB_NAME = /^(?!internal-)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;
/** A GCP resource name: a lowercase RFC 1035 label, 63 characters at most. */
const GCP_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** A host name, as a Kubernetes node name: an RFC 1123 label. */
const HOST_NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Names minos gives itself that must be unique beyond the stack (per
 * account and region, project, or libvirt host), where each type keeps it,
 * and what its provider accepts. (A BaseImage volume is named by its digest
 * on purpose: clusters on one host share it.)
 */
const EXPLICIT: Record<string, { field: string; valid: RegExp }> = {
  "aws:lb/loadBalancer:LoadBalancer": { field: "name", valid: AWS_LB_NAME },
  "aws:lb/targetGroup:TargetGroup": { field: "name", valid: AWS_LB_NAME },
  // GCP's documented accountId pattern: 6 to 30 characters.
  "gcp:serviceaccount/account:Account": {
    field: "accountId",
    valid: /^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/,
  },
  // At most 37 characters: longer prefixes get a date and counter two stacks would share.
  "gcp:compute/instanceTemplate:InstanceTemplate": {
    field: "namePrefix",
    valid: /^[a-z][-a-z0-9]{0,35}-$/,
  },
  // libvirt keeps each in a file named after it (the domain's payload volume
  // adds `.firstboot`): plain characters, well within a file name's 255 bytes.
  [LIBVIRT("Network")]: { field: "name", valid: /^minos-[a-z0-9][-a-z0-9]{0,150}$/ },
  [LIBVIRT("Domain")]: { field: "name", valid: /^[a-z0-9][-a-z0-9]{0,150}$/ },
  [LIBVIRT("Disk")]: { field: "name", valid: /^[a-z0-9][-a-z0-9]{0,150}\.qcow2$/ },
  [LIBVIRT("ConfigDisk")]: { field: "name", valid: /^[a-z0-9][-a-z0-9]{0,150}-seed\.iso$/ },
};

/** Names inside something the stack owns alone (its own bucket). */
const SCOPED = new Set(["gcp:storage/bucketObject:BucketObject"]);

/** Types left to Pulumi's auto-names (`<logical name>-<7 hex>`), and what each provider accepts. */
const AUTONAMED: Record<string, RegExp> = {
  "aws:s3/bucket:Bucket": /^[a-z0-9][-a-z0-9]{1,61}[a-z0-9]$/,
  "aws:iam/role:Role": /^[\w+=,.@-]{1,64}$/,
  "aws:iam/instanceProfile:InstanceProfile": /^[\w+=,.@-]{1,128}$/,
  "aws:ec2/securityGroup:SecurityGroup": /^.{1,255}$/,
  "aws:ec2/launchTemplate:LaunchTemplate": /^[a-zA-Z0-9().\-/_]{3,128}$/,
  "aws:autoscaling/group:Group": /^.{1,255}$/,
};
const gcpAutonamed = (type: string) =>
  type.startsWith("gcp:") &&
  !(type in EXPLICIT) &&
  !SCOPED.has(type) &&
  type !== "gcp:compute/instanceGroupMembership:InstanceGroupMembership";

/** Every explicit physical name of a run, by type and logical name. */
function explicitNames(registered: RegisteredResource[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of registered) {
    const rule = EXPLICIT[r.type];
    if (rule) names.set(`${r.type} ${r.name}`, String(r.inputs[rule.field]));
  }
  return names;
}

/** Every name a run gives a cloud or libvirt that breaks its provider's rules. */
function invalidNames(registered: RegisteredResource[]): string[] {
  const bad: string[] = [];
  const check = (what: string, name: string, valid: RegExp) => {
    if (!valid.test(name)) bad.push(`${what}: ${JSON.stringify(name)} (${name.length})`);
  };
  for (const r of registered) {
    const what = `${r.type} ${r.name}`;
    const explicit = EXPLICIT[r.type];
    if (explicit) check(what, String(r.inputs[explicit.field]), explicit.valid);
    const autonamed = AUTONAMED[r.type] ?? (gcpAutonamed(r.type) ? GCP_NAME : undefined);
    if (autonamed) check(`${what} (auto-named)`, `${r.name}-0a1b2c3`, autonamed);
    if (r.type === "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager") {
      // Instances are `<base>-<4 random>`: 58 characters leave room for them.
      check(
        `${what} baseInstanceName`,
        String(r.inputs.baseInstanceName),
        /^[a-z][-a-z0-9]{0,57}$/,
      );
    }
    if (r.type === LIBVIRT("Network")) {
      for (const host of r.inputs.hosts as { name: string }[])
        check(`${what} host`, host.name, HOST_NAME);
    }
    // Anything else named outright must be listed above, stack-unique.
    if (!explicit && !SCOPED.has(r.type) && /^(aws|gcp):/.test(r.type)) {
      for (const field of ["name", "namePrefix", "accountId"]) {
        if (typeof r.inputs[field] === "string")
          bad.push(`${what}: an explicit ${field} no test makes stack-unique`);
      }
    }
  }
  return bad;
}

const word = (prefix: string, length: number) => `${prefix}-`.padEnd(length, "a");
const LONGEST: EveryOsNames = {
  flatcar: word("flatcar", MAX_CLUSTER_NAME),
  fcos: word("fcos", MAX_CLUSTER_NAME),
  talos: word("talos", MAX_CLUSTER_NAME),
  bottlerocket: word("bottlerocket", MAX_CLUSTER_NAME),
  pool: word("pool", MAX_POOL_NAME),
};
const SHORTEST: EveryOsNames = {
  flatcar: "f",
  fcos: "c",
  talos: "t",
  bottlerocket: "b",
  pool: "p",
};

it("tries names at both ends of what minos accepts", () => {
  for (const n of [LONGEST.flatcar, LONGEST.fcos, LONGEST.talos]) {
    expect(validateClusterName("name", n)).toHaveLength(MAX_CLUSTER_NAME);
    expect(() => validateClusterName("name", `${n}a`)).toThrow(MinosError);
  }
  expect(validatePoolName("pool", LONGEST.pool)).toHaveLength(MAX_POOL_NAME);
  expect(() => validatePoolName("pool", `${LONGEST.pool}a`)).toThrow(MinosError);
  expect(() => validateClusterName("name", "")).toThrow(MinosError);
});

describe.each<MinosPlatform>(["aws", "gcp", "kvm"])("physical names on %s", (platform) => {
  it("differ between two stacks of one program, and stay the same within one", async () => {
    const runA = await everyOs(platform, { stack: "a" }, LONGEST);
    // A stack made before names carried the hash keeps its names: a new
    // name would be a new NLB (DNS name), service account (node email) or VM.
    // KVM workers are the exception: their names carry their generation, and change when it does (they roll).
    const kept = runA.graph.filter(
      (n) => n.type in EXPLICIT && !(platform === "kvm" && n.name.includes("-worker-")),
    );
    expect(kept.length).toBeGreaterThan(0);
    for (const n of kept) expect(n.ignoreChanges, n.name).toContain(EXPLICIT[n.type]?.field);
    const a = explicitNames(runA.registered);
    const b = explicitNames((await everyOs(platform, { stack: "b" }, LONGEST)).registered);
    const again = explicitNames((await everyOs(platform, { stack: "a" }, LONGEST)).registered);
    // Load balancers, target groups, accounts, templates, or libvirt's objects.
    expect(a.size).toBeGreaterThan(platform === "kvm" ? 12 : 5);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const shared = [...a].filter(([key, name]) => b.get(key) === name);
    expect(shared).toEqual([]);
    // A KVM worker's generation hashes its payload, whose keys these runs without state make anew.
    const stable = (names: Map<string, string>) =>
      new Map(
        [...names].map(([k, v]) => [
          k,
          v.replace(/-[0-9a-f]{6}(?=-[0-9a-f]{8}(?:\.qcow2|-seed\.iso)?$)/, ""),
        ]),
      );
    expect(stable(again)).toEqual(stable(a));
  });

  it.each([
    ["longest", LONGEST],
    ["shortest", SHORTEST],
  ])("are valid for the provider with the %s names minos accepts", async (_, names) => {
    const run = await everyOs(platform, { stack: "lengths" }, names);
    expect(invalidNames(run.registered)).toEqual([]);
  });
});

/** Every string a run passes to any resource as (part of) a secret, long enough to tell apart. */
function secretStrings(registered: RegisteredResource[]): Set<string> {
  const found = new Set<string>();
  const strings = (value: unknown): string[] =>
    typeof value === "string"
      ? [value]
      : value && typeof value === "object"
        ? Object.values(value).flatMap(strings)
        : [];
  const walk = (value: unknown): void => {
    if (isSecretInput(value)) {
      for (const s of strings(plain(value))) if (s.length >= 8) found.add(s);
    } else if (value && typeof value === "object") {
      Object.values(value).forEach(walk);
    }
  };
  for (const r of registered) walk(r.inputs);
  return found;
}

describe.each<MinosPlatform>(["aws", "gcp", "kvm"])("secrets on %s", (platform) => {
  it("appear in no resource's name, logical or physical", async () => {
    const run = await everyOs(platform, { stack: "secrets" });
    const secrets = secretStrings(run.registered);
    // CA and node keys, tokens, payloads, the Talos cluster id and secret.
    expect(secrets.size).toBeGreaterThan(20);
    const names = run.registered.flatMap((r) => [
      r.name,
      ...["name", "namePrefix", "accountId"]
        .map((f) => r.inputs[f])
        .filter((v) => typeof v === "string"),
    ]) as string[];
    const leaks = names.filter((name) => [...secrets].some((s) => name.includes(s)));
    expect(leaks).toEqual([]);
  });
});

describe("a GCP service account", () => {
  it("of a two-character cluster has an accountId GCP takes", async () => {
    const run = await everyOs("gcp", { stack: "dev" }, { ...SHORTEST, flatcar: "ab" });
    const ids = run.registered
      .filter((r) => r.type === "gcp:serviceaccount/account:Account" && r.name.startsWith("ab-"))
      .map((r) => String(r.inputs.accountId));
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^ab-(cp|wk)-[0-9a-f]{8}$/);
  });
});
