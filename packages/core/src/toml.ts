// smol-toml ships CommonJS beside its ESM, but its type declarations are
// ESM-only, which a CommonJS package cannot import: name the one call used.
const toml: { stringify(value: Record<string, unknown>): string } = require("smol-toml");

/** TOML for a config file (Zincati, Bottlerocket), keys in the order given. */
export function renderToml(value: Record<string, unknown>): string {
  return toml.stringify(value);
}
