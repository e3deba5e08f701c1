import { MinosError } from "../errors.js";

/** kubeadm's bootstrap token format: a public id, a dot, a secret. */
export const BOOTSTRAP_TOKEN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

/** Checks a bootstrap token's shape; returns it unchanged. */
export function validateBootstrapToken(argument: string, token: unknown): string {
  if (typeof token !== "string" || !BOOTSTRAP_TOKEN.test(token)) {
    throw new MinosError(
      argument,
      "<redacted>",
      "use a kubeadm token: 6 and 16 characters of [a-z0-9] joined by '.'",
    );
  }
  return token;
}
