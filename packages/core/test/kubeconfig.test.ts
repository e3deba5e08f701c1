import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import type { Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { mtlsServer } from "../../../test/support/mtls-server.js";
import { haveTool } from "../../../test/support/system-tools.js";
import { testCa } from "../../../test/support/tls.js";
import { renderKubeconfig } from "../src/index.js";

const kubeconfig = (host: string) =>
  parse(
    renderKubeconfig({
      clusterName: "dev",
      endpoint: { host, port: 6443 },
      caCertPem: "CA",
      clientCertPem: "CERT",
      clientKeyPem: "KEY",
    }),
  );

describe("kubeconfig", () => {
  it("points at the endpoint with the CA and admin credentials embedded", () => {
    const k = kubeconfig("api.dev.test");
    expect(k["current-context"]).toBe("dev");
    expect(k.clusters[0].cluster.server).toBe("https://api.dev.test:6443");
    expect(
      Buffer.from(k.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
    ).toBe("CA");
    expect(Buffer.from(k.users[0].user["client-key-data"], "base64").toString()).toBe("KEY");
    expect(k.contexts[0].context).toEqual({ cluster: "dev", user: "dev-admin" });
  });
  it("brackets IPv6 hosts", () => {
    expect(kubeconfig("fd00::1").clusters[0].cluster.server).toBe("https://[fd00::1]:6443");
  });
});

describe.skipIf(!haveTool("kubectl", "kubectl"))("kubeconfig, read by kubectl", () => {
  let server: Server | undefined;
  afterAll(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it("reaches an API server over mutual TLS with exactly what was rendered", async () => {
    const ca = await testCa("kubernetes");
    const serving = await ca.server();
    const admin = await ca.client("minos-admin");
    const api = await mtlsServer(ca.cert, serving, (_, res) =>
      res.writeHead(200, { "content-type": "text/plain" }).end("ok"),
    );
    server = api.server;
    const clients = () => api.seen.map((r) => `${r.client} ${r.path}`);
    const port = Number(new URL(api.endpoint).port);
    const file = join(mkdtempSync(join(tmpdir(), "minos-kubeconfig-")), "kubeconfig");
    writeFileSync(
      file,
      renderKubeconfig({
        clusterName: "dev",
        endpoint: { host: "127.0.0.1", port },
        caCertPem: ca.cert,
        clientCertPem: admin.cert,
        clientKeyPem: admin.key,
      }),
      { mode: 0o600 },
    );
    // Asynchronous: the server answering is in this very process.
    const { stdout } = await promisify(execFile)("kubectl", [
      "--kubeconfig",
      file,
      "get",
      "--raw",
      "/readyz",
    ]);
    expect(stdout.trim()).toBe("ok");
    // kubectl asks /version first; every request must carry the admin certificate.
    expect(clients()).toContain("minos-admin /readyz");
    expect(clients().every((c) => c.startsWith("minos-admin /"))).toBe(true);
    const { stdout: context } = await promisify(execFile)("kubectl", [
      "--kubeconfig",
      file,
      "config",
      "current-context",
    ]);
    expect(context.trim()).toBe("dev");
  });
});
