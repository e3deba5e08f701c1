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

const fingerprint = (value: string) =>
  createHash("sha256").update(value).digest("hex").slice(0, 16);

/**
 * The config with every secret replaced by `redacted:sha256:<fingerprint>` and
 * every certificate by `sha256:<fingerprint>`: safe to show, and a changed key
 * or certificate still shows as changed.
 */
export function redactConfig(value: unknown, field = ""): unknown {
  if (typeof value === "string") {
    if (SECRET_FIELDS.has(field)) return `redacted:sha256:${fingerprint(value)}`;
    if (field === "crt") return `sha256:${fingerprint(value)}`;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => redactConfig(v, field));
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactConfig(v, k)]));
  return value;
}
