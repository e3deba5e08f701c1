import { generateKeyPairSync } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { MinosError } from "../src/errors.js";
import { safeArgumentPath, secretShape } from "../src/secret-shapes.js";

const ed25519 = generateKeyPairSync("ed25519", {
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

describe("secretShape", () => {
  it("names key material and tokens", () => {
    expect(secretShape(ed25519)).toBe("a PEM private key");
    expect(secretShape(Buffer.from(ed25519).toString("base64"))).toBe("a base64-encoded PEM block");
    expect(secretShape(`x${Buffer.from(ed25519).toString("base64")}`)).toBe(
      "a base64-encoded PEM block",
    );
    expect(secretShape("abcdef.0123456789abcdef")).toBe("a bootstrap token");
    expect(secretShape("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toBe(
      "a value shaped like a key or token (40 characters)",
    );
  });

  it("lets what users need to see through: public keys, hashes, ids, URLs, paths", () => {
    for (const plain of [
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMinosTestKeyMinosTestKeyMinosTestKey me@host",
      "0".repeat(64),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "ami-0123456789abcdef0",
      "https://extensions.fcos.fr/fedora/kubernetes-cri-o-1.36/",
      "nodePools.general.rollout.1000000000000000",
      "fedora-coreos-43-20261102-3-0-gcp-x86-64",
      "1.3x",
    ])
      expect(secretShape(plain), plain).toBeUndefined();
  });

  it("describes the part of an argument path that holds one, keeping the rest", () => {
    expect(safeArgumentPath(`tags.${ed25519}`)).toBe("tags.(a PEM private key, not shown)");
    expect(safeArgumentPath("nodePools.abcdef.0123456789abcdef.count")).toBe(
      "nodePools.(a bootstrap token, not shown)",
    );
    expect(safeArgumentPath("nodePools.gpu.count")).toBe("nodePools.gpu.count");
  });
});

describe("MinosError", () => {
  it("keeps a rejected secret out of its message and out of inspection", () => {
    const e = new MinosError("sshAuthorizedKeys[0]", ed25519, "use an OpenSSH public key");
    expect(e.message).toBe(
      "minos: invalid sshAuthorizedKeys[0]: (a PEM private key, not shown); use an OpenSSH public key",
    );
    expect(inspect(e)).not.toContain(ed25519.split("\n")[1]);
    // Still there for a program that asks for it.
    expect(e.value).toBe(ed25519);
  });
});
