/**
 * Recognises text that holds key material or a token, so an error message
 * can say what it was given ("a PEM private key") without printing it: a
 * value pasted into the wrong argument must not reach preview output or CI
 * logs. Pure and dependency-free, so serialized providers can use it.
 *
 * Checked, in order: a PEM private key block (any kind, OpenSSH's included);
 * one base64-encoded (how Talos's secrets and kubeconfigs carry keys); a
 * Kubernetes or Talos bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`); and a
 * long unbroken run of base64 with upper case, lower case and digits (a raw
 * key, a secretbox secret, a cloud access key), outside the base64 of an
 * SSH public key, which is public and worth echoing.
 */
export function secretShape(text: string): string | undefined {
  if (/PRIVATE KEY-----/.test(text) || /-----BEGIN [A-Z ]*PRIVATE/.test(text))
    return "a PEM private key";
  // base64 of "-----BEGIN" at each of the three alignments it can take.
  if (/LS0tLS1CRUdJTi|0tLS0tQkVHSU4|tLS0tLUJFR0lO/.test(text)) return "a base64-encoded PEM block";
  // No word boundaries: a token pasted with text around it is still one. A
  // secret of digits alone is a number in a path (`rollout.1000000000000000`),
  // and a random one almost never.
  if (/[a-z0-9]{6}\.(?![0-9]{16})[a-z0-9]{16}/.test(text)) return "a bootstrap token";
  const publicKeys = text.replace(
    /(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-[a-z0-9-]+@openssh\.com) [A-Za-z0-9+/=]+/g,
    "",
  );
  for (const run of publicKeys.match(/[A-Za-z0-9+/_-]{32,}={0,2}/g) ?? [])
    if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run))
      return `a value shaped like a key or token (${run.length} characters)`;
  return undefined;
}

/**
 * A dotted argument path with any part that holds a secret (a map key, an
 * unknown option's name) described instead: `tags.(a PEM private key, not
 * shown)`. The longest tail that holds one is replaced, so a token, whose
 * own dot splits it, goes whole.
 */
export function safeArgumentPath(path: string): string {
  if (!secretShape(path)) return path;
  const parts = path.split(".");
  for (let head = parts.length - 1; head >= 0; head--) {
    const tail = parts.slice(head).join(".");
    const shape = secretShape(tail);
    if (shape) return [...parts.slice(0, head), `(${shape}, not shown)`].join(".");
  }
  return `(${secretShape(path)}, not shown)`;
}
