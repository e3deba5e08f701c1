import type { TalosSecretMaterial } from "@minos/talos";
import { testCa } from "./tls.js";

/** Real throwaway Talos secrets: an Ed25519 OS CA and an os:admin certificate it signed. */
export async function talosTestSecrets(): Promise<TalosSecretMaterial> {
  const ca = await testCa("talos", "ed25519");
  const admin = await ca.client("O=os:admin");
  return {
    osCa: { certPem: ca.cert, keyPem: ca.key },
    machineToken: "abc123.0123456789abcdef",
    clusterId: Buffer.alloc(32, 1).toString("base64"),
    clusterSecret: Buffer.alloc(32, 2).toString("base64"),
    secretboxEncryptionSecret: Buffer.alloc(32, 3).toString("base64"),
    admin: { certPem: admin.cert, keyPem: admin.key },
  };
}
