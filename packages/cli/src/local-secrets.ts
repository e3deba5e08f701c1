import { randomInt, webcrypto } from "node:crypto";
import type { ClusterSecretMaterial, KeyPair } from "@minos/core/render";
import { BOOTSTRAP_TOKEN, caCertHash, MinosError } from "@minos/core/render";
import type * as X509 from "@peculiar/x509";

let loaded: typeof X509 | undefined;
/**
 * @peculiar/x509 on Node's WebCrypto, loaded the first time secrets are made:
 * it takes a tenth of a second to load, and rendering from a secrets file
 * needs none of it.
 */
function loadX509(): typeof X509 {
  if (!loaded) {
    // It resolves its ASN.1 schemas through tsyringe, which needs this polyfill.
    require("reflect-metadata");
    loaded = require("@peculiar/x509") as typeof X509;
  }
  loaded.cryptoProvider.set(
    webcrypto as unknown as Parameters<typeof loaded.cryptoProvider.set>[0],
  );
  return loaded;
}

const ECDSA = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * Real, throwaway cluster secrets made on this machine, in the same shape and
 * algorithms the Pulumi program makes them (ECDSA P-256 CAs). For rendering
 * payloads outside Pulumi; never for a cluster you keep.
 */
export async function generateSecrets(): Promise<ClusterSecretMaterial> {
  const ca = keyPair(await selfSignedCa("kubernetes"));
  const sa = await webcrypto.subtle.generateKey(ECDSA, true, ["sign", "verify"]);
  return {
    join: {
      caCertPem: ca.certPem,
      bootstrapToken: bootstrapToken(),
      caCertHash: caCertHash(ca.certPem),
    },
    controlPlane: {
      ca,
      frontProxyCa: keyPair(await selfSignedCa("front-proxy-ca")),
      etcdCa: keyPair(await selfSignedCa("etcd-ca")),
      serviceAccount: {
        publicKeyPem: await pem("PUBLIC KEY", sa.publicKey),
        privateKeyPem: await pem("PRIVATE KEY", sa.privateKey),
      },
    },
  };
}

/** A secrets file: the cluster's, and each OS's own by OS name. */
export type SecretsFile = ClusterSecretMaterial & { os?: Record<string, unknown> };

/** Reads secrets written by `generateSecrets`, checking their shape. */
export function parseSecrets(file: string, text: string): SecretsFile {
  let data: SecretsFile;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new MinosError(
      "--secrets",
      file,
      `use a JSON file written by minos (${(e as Error).message})`,
    );
  }
  const pems = [
    data?.join?.caCertPem,
    data?.controlPlane?.ca?.certPem,
    data?.controlPlane?.ca?.keyPem,
    data?.controlPlane?.frontProxyCa?.certPem,
    data?.controlPlane?.frontProxyCa?.keyPem,
    data?.controlPlane?.etcdCa?.certPem,
    data?.controlPlane?.etcdCa?.keyPem,
    data?.controlPlane?.serviceAccount?.publicKeyPem,
    data?.controlPlane?.serviceAccount?.privateKeyPem,
  ];
  if (
    pems.some((p) => typeof p !== "string" || !p.startsWith("-----BEGIN ")) ||
    !BOOTSTRAP_TOKEN.test(data.join.bootstrapToken)
  ) {
    throw new MinosError(
      "--secrets",
      file,
      "use a secrets file written by minos render --secrets (join + controlPlane PEMs and a bootstrap token)",
    );
  }
  return data;
}

const keyPair = ({ certPem, keyPem }: KeyPair): KeyPair => ({ certPem, keyPem });

/** 16 random bytes, high bit clear so the serial stays a positive integer. */
const serialNumber = () =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString("hex")
    .replace(/^[89a-f]/, "1");

function bootstrapToken(): string {
  const pick = (n: number) =>
    Array.from({ length: n }, () => TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)]).join("");
  return `${pick(6)}.${pick(16)}`;
}

/** The key algorithms minos' certificates use. */
export type Algorithm = typeof ECDSA | typeof ED25519;
export { ECDSA };
export const ED25519 = { name: "Ed25519" } as const;
type CryptoKeys = Parameters<typeof X509.X509CertificateGenerator.createSelfSigned>[0]["keys"];

/** A self-signed CA certificate, as the Pulumi program's `tls.SelfSignedCert` makes one. */
export async function selfSignedCa(
  commonName: string,
  algorithm: Algorithm = ECDSA,
  name = `CN=${commonName}`,
): Promise<KeyPair & { keys: webcrypto.CryptoKeyPair; subject: string }> {
  const x509 = loadX509();
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name,
    notBefore: now,
    notAfter: new Date(now.getTime() + 10 * 365 * 24 * 3600 * 1000),
    signingAlgorithm: algorithm,
    keys: keys as unknown as CryptoKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
    ],
  });
  return {
    certPem: `${cert.toString("pem")}\n`,
    keyPem: await pem("PRIVATE KEY", keys.privateKey),
    keys,
    subject: cert.subject,
  };
}

/**
 * A leaf certificate for `subject`, signed by a CA of the same algorithm, as
 * `tls.LocallySignedCert` makes one: the shape and size of the real thing.
 */
export async function leafCertificate(
  subject: string,
  algorithm: Algorithm,
  /** Extended key usage OIDs, e.g. `1.3.6.1.5.5.7.3.2` for client authentication. */
  usages: string[],
): Promise<string> {
  const x509 = loadX509();
  const ca = await selfSignedCa("ca", algorithm);
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const now = new Date();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject,
    issuer: ca.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + 365 * 24 * 3600 * 1000),
    signingAlgorithm: algorithm,
    publicKey: keys.publicKey as never,
    signingKey: ca.keys.privateKey as never,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(usages),
    ],
  });
  return `${cert.toString("pem")}\n`;
}

/**
 * Real, throwaway Talos secrets, as TalosSecrets makes them: an Ed25519 OS CA
 * (O=talos), an `os:admin` client certificate it signed, the machine token,
 * and cluster id, cluster secret and secretbox key (32 random bytes each).
 */
export async function generateTalosSecrets() {
  const x509 = loadX509();
  const ca = await selfSignedCa("talos", ED25519, "O=talos");
  const adminKeys = (await webcrypto.subtle.generateKey(ED25519, true, [
    "sign",
    "verify",
  ])) as webcrypto.CryptoKeyPair;
  const now = new Date();
  const admin = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: "O=os:admin",
    issuer: ca.subject,
    notBefore: now,
    notAfter: new Date(now.getTime() + 365 * 24 * 3600 * 1000),
    signingAlgorithm: ED25519,
    publicKey: adminKeys.publicKey as never,
    signingKey: ca.keys.privateKey as never,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  const random32 = () =>
    Buffer.from(webcrypto.getRandomValues(new Uint8Array(32))).toString("base64");
  return {
    osCa: { certPem: ca.certPem, keyPem: ca.keyPem },
    machineToken: bootstrapToken(),
    clusterId: random32(),
    clusterSecret: random32(),
    secretboxEncryptionSecret: random32(),
    admin: {
      certPem: `${admin.toString("pem")}\n`,
      keyPem: await pem("PRIVATE KEY", adminKeys.privateKey),
    },
  };
}

async function pem(label: "PRIVATE KEY" | "PUBLIC KEY", key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey(label === "PRIVATE KEY" ? "pkcs8" : "spki", key);
  const b64 = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trimEnd();
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
