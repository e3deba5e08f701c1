import { FlatcarCluster } from "@minos/flatcar";
import { kvm } from "@minos/kvm";
import { beforeAll, describe, expect, it } from "vitest";
import { HOST_NAME_MAX, hostName } from "../packages/kvm/src/host-name.js";
import type { RegisteredResource } from "./support/pulumi-mocks.js";
import { installMocks, resolved } from "./support/pulumi-mocks.js";

describe("KVM host names", () => {
  it("are kept whole while they fit, and cut to 63 with a digest before the generation past it", () => {
    expect(hostName("lab-worker-general-0", "1a2b3c")).toBe("lab-worker-general-0-1a2b3c");
    expect(hostName("lab-control-plane-0")).toBe("lab-control-plane-0");
    const long = `${"c".repeat(31)}-worker-${"p".repeat(16)}`;
    const names = [0, 9, 10, 11].map((i) => hostName(`${long}-${i}`, "1a2b3c"));
    for (const n of names) {
      expect(n.length, n).toBeLessThanOrEqual(HOST_NAME_MAX);
      expect(n, n).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
      expect(n.endsWith("-1a2b3c"), n).toBe(true);
    }
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("a cluster with the longest names minos accepts, on KVM", () => {
  let registered: RegisteredResource[];
  beforeAll(async () => {
    registered = installMocks();
    const cluster = new FlatcarCluster("c".repeat(31), {
      platform: kvm({ cidr: "10.88.0.0/24" }),
      nodePools: { [`p${"q".repeat(15)}`]: { count: 12 } },
      sysext: { hashes: {} },
    });
    await resolved(cluster.nodeConfigs);
    await new Promise((r) => setTimeout(r, 300));
  });

  it("gives every worker a host name of at most 63 characters, each its own", () => {
    const hosts = registered
      .filter((r) => r.type.endsWith("minos-libvirt:Domain"))
      .map((r) => r.inputs.hostname as string | undefined)
      .filter((h): h is string => h !== undefined);
    expect(hosts).toHaveLength(12);
    for (const h of hosts) expect(h.length, h).toBeLessThanOrEqual(HOST_NAME_MAX);
    expect(new Set(hosts).size).toBe(12);
  });
});
