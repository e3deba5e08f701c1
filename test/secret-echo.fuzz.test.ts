import { generateKeyPairSync, randomBytes } from "node:crypto";
import { aws } from "@minos/aws";
import { bottlerocketRenderer } from "@minos/bottlerocket/render";
import type { MinosError, NodeRenderer, Platform } from "@minos/core";
import { resolveClusterArgs } from "@minos/core";
import { fcosRenderer } from "@minos/fcos/render";
import { flatcarRenderer } from "@minos/flatcar/render";
import { gcp } from "@minos/gcp";
import { kvm } from "@minos/kvm";
import { talosRenderer } from "@minos/talos/render";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// A secret pasted into the wrong argument must never reach an error message
// (preview output, CI logs): each kind of key material and token a user
// holds, put in every place a user could paste it, with any text around it,
// through every OS's and platform's validators. A message may say what it
// was given ("a PEM private key"), never any of it.

const pem = (type: "ec" | "ed25519" | "rsa", format: "pkcs8" | "pkcs1" | "sec1"): string =>
  // One call for three key types: node's overloads are per type.
  (generateKeyPairSync as (t: string, o: object) => { privateKey: string })(type, {
    namedCurve: "P-256",
    modulusLength: 2048,
    privateKeyEncoding: { type: format, format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;

const ecPem = pem("ec", "sec1");
/** What users hold: keys as PEM (each kind), as Talos and kubeconfigs carry them, and tokens. */
const SECRETS: Record<string, string> = {
  "EC P-256 PEM": ecPem,
  "EC P-256 PKCS#8 PEM": pem("ec", "pkcs8"),
  "Ed25519 PEM": pem("ed25519", "pkcs8"),
  "RSA PEM": pem("rsa", "pkcs1"),
  "OpenSSH private key": `-----BEGIN OPENSSH PRIVATE KEY-----\n${randomBytes(180).toString("base64")}\n-----END OPENSSH PRIVATE KEY-----\n`,
  "base64 of a PEM key (Talos secrets, kubeconfig)": Buffer.from(ecPem).toString("base64"),
  "bootstrap token": "k3x9qa.7m2ndp4wz8c1v6bt",
  "32 random bytes as base64 (a secretbox secret)": randomBytes(32).toString("base64"),
  "AWS secret access key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};

/** The secret part of each: the key body, the token's secret half. */
function body(secret: string): string {
  if (secret.includes("-----BEGIN"))
    return secret
      .split("\n")
      .filter((l) => l && !l.startsWith("-----"))
      .join("");
  const token = /^[a-z0-9]{6}\.([a-z0-9]{16})$/.exec(secret);
  return token ? (token[1] as string) : secret;
}

/** Every 12-character window of the secret part that appears in `message`. */
function leaked(message: string, secret: string): string[] {
  const b = body(secret);
  const found: string[] = [];
  for (let i = 0; i + 12 <= b.length; i += 4) {
    const window = b.slice(i, i + 12);
    if (message.includes(window)) found.push(window);
  }
  return found;
}

/** Where a user can paste a value: cluster arguments, and the OS's own options. */
const CLUSTER_PLACES: ((v: string) => Record<string, unknown>)[] = [
  (v) => ({ sshAuthorizedKeys: [v] }),
  (v) => ({ kubernetesVersion: v }),
  (v) => ({ arch: v }),
  (v) => ({ podCidr: v }),
  (v) => ({ serviceCidr: v }),
  (v) => ({ certSans: [v] }),
  (v) => ({ tags: { team: v } }),
  (v) => ({ tags: { [v]: "x" } }),
  (v) => ({ cni: v }),
  (v) => ({ [v]: true }),
  (v) => ({ controlPlane: { machineType: v } }),
  (v) => ({ controlPlane: { count: v } }),
  (v) => ({ controlPlane: { [v]: 1 } }),
  (v) => ({ nodePools: { [v]: { count: 1 } } }),
  (v) => ({ nodePools: { a: { machineType: v } } }),
  (v) => ({ nodePools: { a: { labels: { k: v } } } }),
  (v) => ({ nodePools: { a: { labels: { [v]: "x" } } } }),
  (v) => ({ nodePools: { a: { taints: [{ key: "k", value: v, effect: "NoSchedule" }] } } }),
  (v) => ({ nodePools: { a: { expiresAt: v } } }),
  (v) => ({ osUpdates: { mode: v } }),
  (v) => ({ osUpdates: { window: { days: [v] } } }),
  (v) => ({ readiness: { timeoutSeconds: v } }),
];
const OS_PLACES: Record<string, ((v: string) => Record<string, unknown>)[]> = {
  flatcar: [
    (v) => ({ channel: v }),
    (v) => ({ amiId: v }),
    (v) => ({ gcpImage: v }),
    (v) => ({ sysext: { hashes: { [v]: v } } }),
    (v) => ({ sysext: { baseUrl: v } }),
    (v) => ({ extraIgnition: [v] }),
  ],
  fcos: [
    (v) => ({ stream: v }),
    (v) => ({ qemuImage: { url: v, sha256: v } }),
    (v) => ({ sysext: { image: { url: `https://x.example/${v}`, sha256: v } } }),
    (v) => ({ streamMetadata: { baseUrl: v } }),
  ],
  talos: [
    (v) => ({ talosVersion: v }),
    (v) => ({ schematic: v }),
    (v) => ({ configPatches: [v] }),
    (v) => ({ all: [v] }),
    (v) => ({ controlPlaneDelivery: v }),
    (v) => ({ discovery: v }),
  ],
  bottlerocket: [
    (v) => ({ flavor: v }),
    (v) => ({ amiId: v }),
    (v) => ({ sysctls: { [v]: v } }),
    (v) => ({ extraSettings: { kubernetes: { [v]: v } } }),
    (v) => ({ extraSettings: { [v]: {} } }),
  ],
};
const RENDERERS: Record<string, (options: Record<string, unknown>) => NodeRenderer> = {
  flatcar: (o) => flatcarRenderer(o),
  fcos: (o) => fcosRenderer(o),
  talos: (o) => talosRenderer(o),
  bottlerocket: (o) => bottlerocketRenderer(o, { kind: "bootstrap-token" }, "1.34.2"),
};
const PLATFORM_PLACES: ((v: string) => () => Platform)[] = [
  (v) => () => aws({ apiAllowedCidrs: [v] }),
  (v) => () => aws({ network: { vpcId: v } } as never),
  (v) => () => gcp({ region: v }),
  (v) => () => gcp({ region: "europe-west1", apiAllowedCidrs: [v] }),
  (v) => () => kvm({ uri: v }),
  (v) => () => kvm({ pool: v }),
  (v) => () => kvm({ cidr: v }),
];
const PLATFORMS = {
  aws: () => aws(),
  gcp: () => gcp({ region: "europe-west1" }),
  kvm: () => kvm(),
};

/** The message of whatever `fn` throws, or undefined. */
function messageOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? `${e.message}\n${(e as MinosError).allowed ?? ""}` : String(e);
  }
  return undefined;
}

/** Every message the validators give for `v` in each place, on each OS and platform. */
function messagesFor(v: string): string[] {
  const messages: (string | undefined)[] = [];
  for (const place of PLATFORM_PLACES) messages.push(messageOf(place(v)));
  for (const [os, make] of Object.entries(RENDERERS)) {
    for (const place of OS_PLACES[os] ?? []) messages.push(messageOf(() => make(place(v))));
    for (const [name, platform] of Object.entries(PLATFORMS)) {
      if (os === "bottlerocket" && name !== "aws") continue;
      for (const place of CLUSTER_PLACES)
        messages.push(
          messageOf(() => resolveClusterArgs("c", make({}), { platform: platform(), ...place(v) })),
        );
    }
  }
  return messages.filter((m): m is string => m !== undefined);
}

describe("validators never echo a secret", () => {
  for (const [kind, secret] of Object.entries(SECRETS))
    it(`in any place, on any OS and platform: ${kind}`, () => {
      const messages = messagesFor(secret);
      // Refused somewhere, or the test proves nothing.
      expect(messages.length).toBeGreaterThan(50);
      for (const m of messages) expect(leaked(m, secret), m).toEqual([]);
    });

  it("with any text around it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(SECRETS)),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        fc.constantFrom(...CLUSTER_PLACES),
        fc.constantFrom(...Object.keys(RENDERERS)),
        (secret, before, after, place, os) => {
          const make = RENDERERS[os] as (o: Record<string, unknown>) => NodeRenderer;
          const m = messageOf(() =>
            resolveClusterArgs("c", make({}), {
              platform: aws(),
              ...place(before + secret + after),
            }),
          );
          if (m !== undefined) expect(leaked(m, secret), m).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("still shows an ordinary bad value, so the user sees what to fix", () => {
    const m = messageOf(() =>
      resolveClusterArgs("c", flatcarRenderer(), { platform: kvm(), kubernetesVersion: "1.3x" }),
    );
    expect(m).toContain('"1.3x"');
  });
});
