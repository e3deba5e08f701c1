import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { caCertHash } from "@minos/core";
import { describe, expect, it } from "vitest";
import { haveTool } from "../../../test/support/system-tools.js";
import { generateSecrets } from "../src/local-secrets.js";

const haveOpenssl = haveTool("openssl", "openssl") && haveTool("sha256sum", "sha256sum");

describe("CA public-key hash", () => {
  it.skipIf(!haveOpenssl)("matches the openssl pipeline kubeadm's docs give", async () => {
    const { join: j, controlPlane } = await generateSecrets();
    const file = join(mkdtempSync(join(tmpdir(), "minos-ca-")), "ca.crt");
    writeFileSync(file, j.caCertPem);
    // kubeadm docs: openssl x509 -pubkey -in ca.crt | openssl rsa/pkey -pubin -outform der | sha256sum
    const pub = execFileSync("openssl", ["x509", "-pubkey", "-noout", "-in", file]);
    const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "der"], { input: pub });
    const hex = execFileSync("sha256sum", { input: der }).toString().split(" ")[0];
    expect(j.caCertHash).toBe(`sha256:${hex}`);
    expect(caCertHash(controlPlane.ca.keyPem)).toBe(j.caCertHash);
  });
});
