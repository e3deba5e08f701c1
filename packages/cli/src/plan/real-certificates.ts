import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import type { Algorithm } from "../local-secrets.js";
import { ECDSA, ED25519, leafCertificate, selfSignedCa } from "../local-secrets.js";

type Outputs = Record<string, unknown>;

/** The algorithm of a PEM private key the mocks made. */
function algorithmOf(keyPem: unknown): Algorithm {
  if (typeof keyPem !== "string") return ECDSA;
  return createPrivateKey(keyPem).asymmetricKeyType === "ed25519" ? ED25519 : ECDSA;
}

/**
 * What `tls` would answer for keys and certificates, shaped and sized as the
 * real thing: `minos plan` reports payload sizes, and payloads embed CA
 * certificates. Keys are of the asked algorithm; certificates are real
 * X.509 of that algorithm (not signed by the key they name: only their size
 * and shape matter here). Anything else is answered as given.
 */
export async function realShaped(type: string, outputs: Outputs): Promise<Outputs> {
  switch (type) {
    case "tls:index/privateKey:PrivateKey": {
      if (outputs.algorithm !== "ED25519") return outputs;
      const { privateKey, publicKey } = generateKeyPairSync("ed25519");
      return {
        ...outputs,
        privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }),
        publicKeyPem: publicKey.export({ type: "spki", format: "pem" }),
      };
    }
    case "tls:index/selfSignedCert:SelfSignedCert": {
      const subject = (outputs.subject ?? {}) as { commonName?: string; organization?: string };
      const name = subject.commonName
        ? `CN=${subject.commonName}`
        : `O=${subject.organization ?? "minos"}`;
      const ca = await selfSignedCa(
        subject.commonName ?? "",
        algorithmOf(outputs.privateKeyPem),
        name,
      );
      return { ...outputs, certPem: ca.certPem };
    }
    case "tls:index/locallySignedCert:LocallySignedCert":
      return {
        ...outputs,
        certPem: await leafCertificate(
          "CN=minos-admin, O=system:masters",
          algorithmOf(outputs.caPrivateKeyPem),
          ["1.3.6.1.5.5.7.3.2"],
        ),
      };
    default:
      return outputs;
  }
}
