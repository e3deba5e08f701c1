import { generateKeyPairSync } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { aws } from "@minos/aws";
import { BottlerocketNodeGroup } from "@minos/bottlerocket";
import { resourceOutputs } from "@minos/cli";
import type { Cluster, Platform } from "@minos/core";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import { beforeAll, describe, expect, it } from "vitest";
import { mockFcosStream } from "./support/fcos-stream.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import {
  installMocks,
  isSecretInput,
  mockOutputs,
  plain,
  resolved,
} from "./support/pulumi-mocks.js";

let registered: RegisteredResource[];
beforeAll(() => {
  registered = installMocks();
  mockFcosStream();
  mockOutputs("tls:index/privateKey:PrivateKey", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    privateKeys.push(pem);
    return { privateKeyPem: pem, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) };
  });
  // Every generated string, as the mocks answer it, recorded with its resource's name.
  mockOutputs(RANDOM_STRING, (inputs, name) => {
    const outputs = resourceOutputs(RANDOM_STRING, name, inputs);
    generated.push({ name, value: outputs.result as string });
    return outputs;
  });
});

const RANDOM_STRING = "random:index/randomString:RandomString";
/** Every random string the program made: token halves, Talos's machine token. */
const generated: { name: string; value: string }[] = [];

/** Every readable text a value holds: as given, base64-decoded, and inside (gzipped) data URLs. */
function readings(text: string): string[] {
  const out = [text];
  const data = /^data:[^,]*?(;base64)?,(.*)$/s.exec(text);
  if (data) {
    const raw = data[1]
      ? Buffer.from(data[2] ?? "", "base64")
      : Buffer.from(decodeURIComponent(data[2] ?? ""));
    out.push(raw.toString());
    try {
      out.push(gunzipSync(raw).toString());
    } catch {}
  } else if (/^[A-Za-z0-9+/=\s]{24,}$/.test(text)) {
    const decoded = Buffer.from(text, "base64");
    out.push(decoded.toString());
    try {
      out.push(gunzipSync(decoded).toString());
    } catch {}
  }
  return out;
}

/** Strings of a registered input that are not inside a secret, with where they sit. */
function plainStrings(
  value: unknown,
  at: string,
  found: [string, string][] = [],
): [string, string][] {
  if (isSecretInput(value)) return found;
  if (typeof value === "string") found.push([at, value]);
  else if (Array.isArray(value))
    for (const [i, v] of value.entries()) plainStrings(v, `${at}[${i}]`, found);
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) plainStrings(v, `${at}.${k}`, found);
  return found;
}

/** Every place a secret value shows outside a secret, across every registered input. */
function leaks(resources: RegisteredResource[], secrets: string[]): string[] {
  const found: string[] = [];
  for (const r of resources)
    for (const [at, text] of plainStrings(r.inputs, `${r.type} ${r.name}`))
      for (const reading of readings(text))
        for (const secret of secrets)
          if (reading.includes(secret)) found.push(`${at}: ${secret.slice(0, 12)}…`);
  return found;
}

/** Every private key the program made (the mock answers with real keys and records them). */
const privateKeys: string[] = [];

/**
 * What must never show in plain text: each private key (as PEM and as
 * Talos's base64 of it), the secret half of every token (the control
 * plane's, every pool's, Talos's machine token), Talos's secrets.
 */
async function secretValues(
  cluster: Cluster | undefined,
  keysBefore: number,
  tokensBefore: number,
): Promise<string[]> {
  const keys = privateKeys
    .slice(keysBefore)
    .flatMap((pem) => [pem.split("\n")[1] as string, Buffer.from(pem).toString("base64")]);
  const os = cluster
    ? ((await resolved(cluster.osSecrets)) as Record<string, unknown> | undefined)
    : undefined;
  const talos = [os?.clusterSecret, os?.secretboxEncryptionSecret, os?.clusterId].filter(
    (v): v is string => typeof v === "string",
  );
  return [...keys, ...tokenSecrets(tokensBefore).map((t) => t.value), ...talos];
}

/** The secret halves of the tokens made since a point: `<...>-token-secret` strings. */
function tokenSecrets(since: number): { name: string; value: string }[] {
  return generated.slice(since).filter((g) => g.name.endsWith("-token-secret"));
}

/** Clusters of one program on one KVM host: each OS's on a network of its own. */
const KVM_CIDRS: Record<string, string> = {
  flatcar: "10.120.0.0/24",
  fcos: "10.121.0.0/24",
  talos: "10.122.0.0/24",
};
const PLATFORMS: Record<string, (os: string) => Platform> = {
  aws: () => aws(),
  gcp: () => gcp({ region: "europe-west1" }),
  kvm: (os) => kvm({ cidr: KVM_CIDRS[os] as string }),
};

async function build(
  os: string,
  name: string,
  platform: Platform,
  options: Record<string, unknown> = {},
): Promise<Cluster> {
  const args = {
    ...options,
    platform,
    controlPlane: { count: platform.name === "kvm" ? 1 : 3 },
    nodePools: { general: { count: 2 }, batch: { count: 1 } },
  };
  if (os === "flatcar") return new (await import("@minos/flatcar")).FlatcarCluster(name, args);
  if (os === "fcos") return new (await import("@minos/fcos")).FcosCluster(name, args);
  return new (await import("@minos/talos")).TalosCluster(name, args);
}

/** Where a cloud hands a node its first-boot data: readable by its read-only roles (and, on GCE, pods). */
const CLOUD_USER_DATA: Record<string, string> = {
  "aws:ec2/instance:Instance": "userData",
  "aws:ec2/launchTemplate:LaunchTemplate": "userData",
  "gcp:compute/instance:Instance": "metadata",
  "gcp:compute/instanceTemplate:InstanceTemplate": "metadata",
};

/**
 * What docs/security.md's "Where secrets live" table says sits in cloud user-data
 * or metadata: Talos reads its machine config only from there.
 */
const DOCUMENTED_IN_USER_DATA = new Set(["talos aws", "talos gcp"]);

/** The resources whose cloud user-data or metadata carries a private key, secret or not. */
function keysInUserData(resources: RegisteredResource[], keys: string[]): string[] {
  const found = new Set<string>();
  for (const r of resources) {
    const field = CLOUD_USER_DATA[r.type];
    if (!field) continue;
    const texts = plainStrings(plain(r.inputs[field]), field).map(([, t]) => t);
    for (const text of texts)
      for (const reading of readings(text))
        if (keys.some((k) => reading.includes(k))) found.add(`${r.type} ${r.name}`);
  }
  return [...found];
}

/** The same resources with secret envelopes opened: what the audit must find keys in. */
const opened = (resources: RegisteredResource[]): RegisteredResource[] =>
  resources.map((r) => ({ ...r, inputs: plain(r.inputs) }));

/**
 * Runs one program (`make` returns the cluster whose secrets it audits and
 * what to wait for) and returns what it registered, every secret value it
 * generated, the private keys among them (each as its PEM's first body line
 * and as base64 of the PEM, the first entries of `secrets`) and its tokens.
 */
async function audited(make: () => Promise<{ cluster: Cluster; rendered: unknown }>) {
  const before = registered.length;
  const keysBefore = privateKeys.length;
  const tokensBefore = generated.length;
  const { cluster, rendered } = await make();
  await resolved(rendered as never);
  await new Promise((r) => setTimeout(r, 150));
  const secrets = await secretValues(cluster, keysBefore, tokensBefore);
  return {
    mine: registered.slice(before),
    secrets,
    keyCount: privateKeys.length - keysBefore,
    keys: secrets.slice(0, (privateKeys.length - keysBefore) * 2),
    tokens: tokenSecrets(tokensBefore),
  };
}

describe("secrets audit: no key, token or generated secret outside a secret", () => {
  for (const os of ["flatcar", "fcos", "talos"])
    for (const platform of Object.keys(PLATFORMS))
      it(`${os} on ${platform}`, async () => {
        const name = `au${os.slice(0, 2)}${platform.slice(0, 1)}`;
        const { mine, secrets, keyCount, keys, tokens } = await audited(async () => {
          const platformOf = PLATFORMS[platform] as (os: string) => Platform;
          const cluster = await build(os, name, platformOf(os));
          return { cluster, rendered: cluster.nodeConfigs };
        });
        // Every token is watched: the control plane's, each pool's (and Talos's machine token).
        expect(tokens.map((t) => t.name).sort()).toEqual(
          [
            `${name}-secrets-bootstrap-token-secret`,
            `${name}-worker-batch-token-secret`,
            `${name}-worker-general-token-secret`,
            ...(os === "talos" ? [`${name}-talos-machine-token-secret`] : []),
          ].sort(),
        );
        // The CAs, the service-account key, the admin key (and Talos's own): all of them watched.
        expect(keyCount).toBeGreaterThanOrEqual(4);
        expect(leaks(mine, secrets)).toEqual([]);
        // CA keys reach cloud user-data or metadata only where docs/security.md says so.
        const exposed = keysInUserData(mine, keys);
        if (DOCUMENTED_IN_USER_DATA.has(`${os} ${platform}`))
          expect(exposed.length).toBeGreaterThan(0);
        else expect(exposed).toEqual([]);
        // And the audit sees them: with secret envelopes opened, the payloads carry them,
        // and each pool's token is in the payload or Secret of that pool.
        expect(leaks(opened(mine), secrets).length).toBeGreaterThan(0);
        for (const t of tokens.filter((t) => t.name.includes("-worker-")))
          expect(leaks(opened(mine), [t.value]), t.name).toContainEqual(
            expect.stringMatching(/^kubernetes:core\/v1:Secret /),
          );
      });

  for (const platform of ["aws", "gcp"])
    it(`talos on ${platform} with controlPlaneDelivery machine-api: no private key in user-data or metadata`, async () => {
      const name = `autm${platform.slice(0, 1)}`;
      const { mine, secrets, keys } = await audited(async () => {
        // Narrowed: the maintenance API must not be open to the world (refused otherwise).
        const api = { apiAllowedCidrs: ["203.0.113.0/24"] };
        const narrowed = platform === "aws" ? aws(api) : gcp({ region: "europe-west1", ...api });
        const cluster = await build("talos", name, narrowed, {
          controlPlaneDelivery: "machine-api",
        });
        return { cluster, rendered: cluster.nodeConfigs };
      });
      expect(leaks(mine, secrets)).toEqual([]);
      expect(keys.length).toBeGreaterThanOrEqual(8);
      expect(keysInUserData(mine, keys)).toEqual([]);
      // The keys went to the handover instead, as a secret input.
      const handover = mine.filter((r) => r.type.endsWith("minos-talos:TalosConfigHandover"));
      expect(handover).toHaveLength(1);
      expect(leaks(opened(handover), keys).length).toBeGreaterThan(0);
    });

  it("bottlerocket pools joining a flatcar cluster on aws", async () => {
    const { mine, secrets, tokens } = await audited(async () => {
      const cluster = await build("flatcar", "aubr", aws());
      const group = new BottlerocketNodeGroup("aubrng", {
        cluster,
        nodePools: { general: { count: 1 }, batch: { count: 2 } },
      });
      return { cluster, rendered: group.nodeConfigs };
    });
    expect(
      tokens
        .map((t) => t.name)
        .filter((n) => n.startsWith("aubrng-"))
        .sort(),
    ).toEqual(["aubrng-batch-token-secret", "aubrng-general-token-secret"]);
    expect(leaks(mine, secrets)).toEqual([]);
    // Bottlerocket reads its settings, token included, from user-data: as a secret input.
    const templates = mine.filter(
      (r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate" && r.name.startsWith("aubrng-"),
    );
    expect(templates).toHaveLength(2);
    for (const t of templates) expect(isSecretInput(t.inputs.userData)).toBe(true);
    for (const t of tokens.filter((t) => t.name.startsWith("aubrng-")))
      expect(leaks(opened(mine), [t.value]).length, t.name).toBeGreaterThanOrEqual(2);
  });

  it("finds a deliberately leaked token, in plain text, base64 and gzipped data URLs", async () => {
    const token = "abcdef.0123456789abcdef";
    const gz = (await import("node:zlib")).gzipSync(`token: ${token}`).toString("base64");
    const leaked: RegisteredResource[] = [
      { type: "t:a", name: "plain", inputs: { userData: `x ${token} y` } },
      {
        type: "t:b",
        name: "b64",
        inputs: { userData: Buffer.from(`k=${token}`).toString("base64") },
      },
      { type: "t:c", name: "dataurl", inputs: { files: [{ source: `data:;base64,${gz}` }] } },
      {
        type: "t:d",
        name: "secret",
        inputs: {
          userData: {
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: token,
          },
        },
      },
    ];
    expect(leaks(leaked, [token]).map((l) => l.split(":")[0])).toEqual(["t", "t", "t"]);
    expect(leaks(leaked, [token])).toHaveLength(3);
  });
});
