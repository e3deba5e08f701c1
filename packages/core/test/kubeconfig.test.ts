import { describe, expect, it } from "vitest";
import { parse } from "yaml";
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
