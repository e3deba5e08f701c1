import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderKubeconfig } from "../src/index.js";

describe("kubeconfig", () => {
  it("points at the endpoint with the CA and admin credentials embedded", () => {
    const text = renderKubeconfig({
      clusterName: "dev",
      endpoint: { host: "api.dev.test", port: 6443 },
      caCertPem: "CA",
      clientCertPem: "CERT",
      clientKeyPem: "KEY",
    });
    const k = parse(text);
    expect(k["current-context"]).toBe("dev");
    expect(k.clusters[0].cluster.server).toBe("https://api.dev.test:6443");
    expect(
      Buffer.from(k.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
    ).toBe("CA");
    expect(Buffer.from(k.users[0].user["client-key-data"], "base64").toString()).toBe("KEY");
    expect(k.contexts[0].context).toEqual({ cluster: "dev", user: "dev-admin" });
  });
  it("brackets IPv6 hosts", () => {
    const text = renderKubeconfig({
      clusterName: "v6",
      endpoint: { host: "fd00::1", port: 6443 },
      caCertPem: "",
      clientCertPem: "",
      clientKeyPem: "",
    });
    expect(parse(text).clusters[0].cluster.server).toBe("https://[fd00::1]:6443");
  });
});
