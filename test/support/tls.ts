import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

const ECDSA = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** A PEM certificate and key. */
export interface Pem {
  cert: string;
  key: string;
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key)).toString("base64");
  return `-----BEGIN PRIVATE KEY-----\n${der.replace(/(.{64})/g, "$1\n").trimEnd()}\n-----END PRIVATE KEY-----\n`;
}

const ED25519 = { name: "Ed25519" } as const;
type Algorithm = typeof ECDSA | typeof ED25519;

const keysFor = (algorithm: Algorithm) =>
  webcrypto.subtle.generateKey(algorithm, true, [
    "sign",
    "verify",
  ]) as Promise<webcrypto.CryptoKeyPair>;
const validity = () => ({
  notBefore: new Date(Date.now() - 60_000),
  notAfter: new Date(Date.now() + 3600_000),
});

/**
 * A CA that issues server and client certificates, like a cluster CA:
 * ECDSA P-256 (Kubernetes' CAs) or Ed25519 (Talos's OS CA).
 */
export async function testCa(name = "test-ca", algorithm: "ecdsa" | "ed25519" = "ecdsa") {
  const alg: Algorithm = algorithm === "ecdsa" ? ECDSA : ED25519;
  const keys = () => keysFor(alg);
  const caKeys = await keys();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: `CN=${name}`,
    ...validity(),
    signingAlgorithm: alg,
    keys: caKeys as never,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  let serial = 2;
  const issue = async (subject: string, extensions: x509.Extension[]): Promise<Pem> => {
    const leaf = await keys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (serial++).toString(16).padStart(2, "0"),
      subject: subject.includes("=") ? subject : `CN=${subject}`,
      issuer: ca.subject,
      ...validity(),
      signingAlgorithm: alg,
      publicKey: leaf.publicKey as never,
      signingKey: caKeys.privateKey as never,
      extensions,
    });
    return { cert: cert.toString("pem"), key: await keyPem(leaf.privateKey) };
  };
  return {
    cert: ca.toString("pem"),
    key: await keyPem(caKeys.privateKey),
    /** A server certificate for 127.0.0.1. */
    server: () =>
      issue("kube-apiserver", [
        new x509.SubjectAlternativeNameExtension([{ type: "ip", value: "127.0.0.1" }]),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ]),
    /** A client certificate. */
    client: (subject = "CN=minos-admin") =>
      issue(subject, [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]),
  };
}
