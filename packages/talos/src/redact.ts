import { createHash } from "node:crypto";

/** Fields whose values are secrets wherever they appear in a machine config. */
const SECRET_FIELDS = new Set([
  "key",
  "token",
  "secret",
  "secretboxEncryptionSecret",
  "aescbcEncryptionSecret",
  "password",
  "auth",
  "identityToken",
]);

/** Fields secret only where they stand: Talos's cluster id is secret, other ids are not. */
const SECRET_PATHS = new Set(["cluster.id"]);

const fingerprint = (value: string) =>
  createHash("sha256").update(value).digest("hex").slice(0, 16);

/**
 * The config with every secret replaced by `redacted:sha256:<fingerprint>` and
 * every certificate by `sha256:<fingerprint>`: safe to show, and a changed key
 * or certificate still shows as changed.
 */
export function redactConfig(value: unknown, path = ""): unknown {
  const field = path.slice(path.lastIndexOf(".") + 1);
  if (typeof value === "string") {
    if (SECRET_FIELDS.has(field) || SECRET_PATHS.has(path))
      return `redacted:sha256:${fingerprint(value)}`;
    if (field === "crt") return `sha256:${fingerprint(value)}`;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redactConfig(v, path));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactConfig(v, path ? `${path}.${k}` : k)]),
    );
  return value;
}
