import { randomBytes } from "node:crypto";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileServer } from "../../../test/support/file-server.js";
import { sha256sums, startFileServer } from "../../../test/support/file-server.js";
import { ignitionApply } from "../../../test/support/ignition.js";
import { renderRole, testSecrets } from "../../../test/support/secrets.js";
import { haveTool, IGNITION_BINARY } from "../../../test/support/system-tools.js";
import { haveSysupdate, readInRoot, sysupdate } from "../../../test/support/sysupdate.js";
import { flatcarOs } from "../src/index.js";

const haveTools = haveTool("Ignition", IGNITION_BINARY) && haveSysupdate();
const FIRST = "kubernetes-v1.36.4-x86-64.raw";
/** What the sysext-bakery lists: a newer patch of the node's minor, the next minor, another arch. */
const LISTED = [
  FIRST,
  "kubernetes-v1.36.6-x86-64.raw",
  "kubernetes-v1.37.1-x86-64.raw",
  "kubernetes-v1.36.7-arm64.raw",
];

let server: FileServer;
const bytes = Object.fromEntries(LISTED.map((f) => [f, randomBytes(4096)]));

beforeAll(async () => {
  server = await startFileServer({
    // Ignition's first fetch, then the bakery's sysupdate directory.
    [`/extensions/${FIRST}`]: bytes[FIRST] as Buffer,
    "/extensions/kubernetes/SHA256SUMS": sha256sums(bytes),
    ...Object.fromEntries(LISTED.map((f) => [`/extensions/kubernetes/${f}`, bytes[f] as Buffer])),
  });
});
afterAll(() => server?.close());

describe.skipIf(!haveTools)("Flatcar sysext through the real systemd-sysupdate", () => {
  it("auto-update takes newer patches of the node's minor only", async () => {
    const os = flatcarOs({ sysext: { baseUrl: `${server.url}/extensions`, autoUpdate: true } });
    const config = renderRole(os, "worker", "kvm", await testSecrets(), {
      kubernetesVersion: "1.36.4",
    });
    const run = await ignitionApply(config);
    expect(run.code, run.log).toBe(0);
    writeFileSync(join(run.root, "etc/os-release"), "ID=flatcar\nVERSION_ID=4459.2.1\n");
    expect(readInRoot(run.root, "/etc/extensions/kubernetes.raw")).toEqual(bytes[FIRST]);

    const update = await sysupdate(run.root, "kubernetes");
    expect(update.code, update.output).toBe(0);
    // 1.36.6, never 1.37.1 (an unattended minor upgrade would outrun the control plane).
    expect(readInRoot(run.root, "/etc/extensions/kubernetes.raw")).toEqual(
      bytes["kubernetes-v1.36.6-x86-64.raw"],
    );
    expect(readdirSync(join(run.root, "opt/extensions/kubernetes")).sort()).toEqual([
      FIRST,
      "kubernetes-v1.36.6-x86-64.raw",
    ]);
  });
});
