import { MinosError } from "../errors.js";

const SSH_KEY =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]*)?$/;
const FLAG = /^[a-z0-9][a-z0-9-]*$/;
const SAN = /^[A-Za-z0-9*:.-]{1,253}$/;

/** A list whose every entry is a string matching `pattern`. */
function stringList(
  argument: string,
  value: unknown,
  pattern: RegExp,
  list: string,
  each: string,
): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new MinosError(argument, value, list);
  value.forEach((entry, i) => {
    if (typeof entry !== "string" || !pattern.test(entry))
      throw new MinosError(`${argument}[${i}]`, entry, each);
  });
  return value as string[];
}

/** SSH public keys, one per string, in OpenSSH `authorized_keys` form. */
export function validateSshKeys(argument: string, keys: unknown): string[] {
  return stringList(
    argument,
    keys,
    SSH_KEY,
    "use a list of OpenSSH public keys",
    'use one OpenSSH public key per entry, e.g. "ssh-ed25519 AAAA... me@host"',
  );
}

/** Kubelet flags by name (no leading dashes) to single-line values. */
export function validateKubeletArgs(argument: string, args: unknown): Record<string, string> {
  if (args === undefined) return {};
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new MinosError(
      argument,
      args,
      "use an object of flag names (without '--') to string values",
    );
  }
  for (const [name, value] of Object.entries(args)) {
    if (!FLAG.test(name))
      throw new MinosError(
        `${argument} key`,
        name,
        "use a kubelet flag name without leading dashes, e.g. max-pods",
      );
    if (typeof value !== "string" || /[\r\n]/.test(value)) {
      throw new MinosError(`${argument}.${name}`, value, "use a single-line string value");
    }
  }
  return args as Record<string, string>;
}

/** DNS names and IP addresses for the API server certificate. */
export function validateCertSans(argument: string, sans: unknown): string[] {
  return stringList(
    argument,
    sans,
    SAN,
    "use a list of DNS names or IP addresses",
    "use a DNS name or an IP address",
  );
}
