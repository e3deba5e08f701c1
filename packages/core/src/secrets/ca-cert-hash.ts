import { createHash, createPublicKey } from "node:crypto";

/**
 * kubeadm's `--discovery-token-ca-cert-hash`: `sha256:` and the hex SHA-256 of
 * the CA certificate's DER SubjectPublicKeyInfo. Accepts the CA certificate or
 * its public/private key in PEM; all give the same hash.
 */
export function caCertHash(pem: string): string {
  const spki = createPublicKey(pem).export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}
