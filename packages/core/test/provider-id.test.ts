import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerContext as ctx } from "../../../test/support/context.js";
import { canUseNetns } from "../../../test/support/metadata-netns.js";
import { haveTool } from "../../../test/support/system-tools.js";
import { renderKubeadmConfig } from "../src/kubeadm/config.js";
import {
  KUBEADM_PATCHES_DIR,
  PROVIDER_ID_PATCH,
  providerIdScript,
  providerIdUnit,
} from "../src/kubeadm/provider-id.js";

/**
 * A metadata server at 169.254.169.254 as each cloud answers: IMDSv2 gives
 * a token for a PUT with a TTL header and answers only requests carrying
 * it; GCE answers only requests with `Metadata-Flavor: Google`. Anything
 * else is 401/403/404, as the real ones refuse it.
 */
const SERVER = `
const http = require("node:http");
const answers = JSON.parse(process.argv[1]);
http.createServer((req, res) => {
  const end = (code, body = "") => { res.statusCode = code; res.end(body); };
  if (req.url === "/latest/api/token")
    return req.method === "PUT" && req.headers["x-aws-ec2-metadata-token-ttl-seconds"]
      ? end(200, "imds-token") : end(400);
  if (req.url.startsWith("/latest/"))
    return req.headers["x-aws-ec2-metadata-token"] !== "imds-token" ? end(401)
      : req.url in answers ? end(200, answers[req.url]) : end(404);
  if (req.url.startsWith("/computeMetadata/"))
    return req.headers["metadata-flavor"] !== "Google" ? end(403)
      : req.url in answers ? end(200, answers[req.url]) : end(404);
  end(404);
}).listen(80, "169.254.169.254", () => console.log("ready"));`;

const AWS = {
  "/latest/meta-data/placement/availability-zone": "eu-west-1b",
  "/latest/meta-data/instance-id": "i-0123456789abcdef0",
};
const GCP = {
  "/computeMetadata/v1/project/project-id": "minos-test",
  "/computeMetadata/v1/instance/zone": "projects/123456789/zones/europe-west1-c",
  "/computeMetadata/v1/instance/name": "demo-general-x7k2",
};

const usable = canUseNetns() && haveTool("curl", "curl") && haveTool("util-linux", "unshare");
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "minos-provider-id-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the rendered script with the real sh and curl in a network namespace
 * holding the metadata address, over an overlay of /etc private to the
 * run, and returns its exit status, its output and the patch it wrote.
 */
async function run(
  platform: "aws" | "gcp",
  answers: Record<string, string>,
): Promise<{ status: number | null; stderr: string; patch: string }> {
  const ns = `minos-pid-${randomBytes(3).toString("hex")}`;
  const script = join(dir, `${ns}.sh`);
  writeFileSync(script, providerIdScript(platform));
  let server: ChildProcess | undefined;
  try {
    execFileSync("ip", ["netns", "add", ns]);
    const inNs = (...cmd: string[]) => execFileSync("ip", ["netns", "exec", ns, ...cmd]);
    inNs("ip", "link", "set", "lo", "up");
    inNs("ip", "addr", "add", "169.254.169.254/32", "dev", "lo");
    server = spawn("ip", [
      "netns",
      "exec",
      ns,
      process.execPath,
      "-e",
      SERVER,
      JSON.stringify(answers),
    ]);
    await new Promise((resolve) => server?.stdout?.once("data", resolve));
    const layer = mkdtempSync(join(dir, "etc-"));
    const shell = [
      "set -e",
      "mount --make-rprivate /",
      `mkdir -p ${layer}/upper ${layer}/work`,
      `mount -t overlay overlay -o lowerdir=/etc,upperdir=${layer}/upper,workdir=${layer}/work /etc`,
      `status=0; sh ${script} || status=$?`,
      `cat ${PROVIDER_ID_PATCH} 2>/dev/null || true`,
      `ls -A ${KUBEADM_PATCHES_DIR} 2>/dev/null | grep -v '^kubeletconfiguration+merge.json$' && echo LEFTOVER >&2 || true`,
      "exit $status",
    ].join("\n");
    const result = spawnSync("ip", ["netns", "exec", ns, "unshare", "-m", "sh", "-c", shell], {
      encoding: "utf8",
      timeout: 60_000,
    });
    return {
      status: result.status,
      stderr: result.stderr,
      patch: result.stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .join("\n"),
    };
  } finally {
    server?.kill();
    spawnSync("ip", ["netns", "del", ns]);
  }
}

describe.runIf(usable)(
  "the provider ID script, run by sh and curl against metadata stand-ins",
  () => {
    it("on AWS: asks IMDSv2 with a session token and writes aws:///<zone>/<instance-id>", async () => {
      const { status, stderr, patch } = await run("aws", AWS);
      expect(stderr).not.toContain("LEFTOVER");
      expect(status).toBe(0);
      expect(JSON.parse(patch)).toEqual({ providerID: "aws:///eu-west-1b/i-0123456789abcdef0" });
    });

    it("on GCP: asks with Metadata-Flavor and writes gce://<project>/<zone>/<name>", async () => {
      const { status, patch } = await run("gcp", GCP);
      expect(status).toBe(0);
      expect(JSON.parse(patch)).toEqual({
        providerID: "gce://minos-test/europe-west1-c/demo-general-x7k2",
      });
    });

    it("fails, writing nothing, when the metadata lacks an answer or holds what no provider ID has", async () => {
      const missing = await run("aws", { "/latest/meta-data/instance-id": "i-0123" });
      expect(missing.status).not.toBe(0);
      expect(missing.patch).toBe("");
      const odd = await run("gcp", { ...GCP, "/computeMetadata/v1/instance/name": 'x"; rm -rf /' });
      expect(odd.status).not.toBe(0);
      expect(odd.stderr).toContain("unexpected provider ID");
      expect(odd.patch).toBe("");
    });
  },
);

describe("kubeadm with the external cloud provider", () => {
  const external = ctx({ platform: "aws", externalCloudProvider: true });

  it("starts the kubelet with --cloud-provider=external and reads the patch directory", () => {
    for (const role of ["control-plane", "control-plane-join", "worker"] as const) {
      const config = renderKubeadmConfig(role, external, { criSocket: "unix:///run/x.sock" });
      expect(config).toContain("name: cloud-provider\n      value: external");
      expect(config).toContain(`patches:\n  directory: ${KUBEADM_PATCHES_DIR}`);
    }
  });

  it("without it: neither", () => {
    const config = renderKubeadmConfig("worker", ctx({ platform: "aws" }), {
      criSocket: "unix:///run/x.sock",
    });
    expect(config).not.toContain("cloud-provider");
    expect(config).not.toContain("patches");
  });

  it("runs the script once, before kubeadm, which requires it", () => {
    const unit = providerIdUnit();
    expect(unit).toContain("Before=kubeadm.service");
    expect(unit).toContain("RequiredBy=kubeadm.service");
    expect(unit).toContain("ConditionPathExists=!/etc/kubernetes/kubelet.conf");
  });
});
