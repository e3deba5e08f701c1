import { expect, it } from "vitest";
import { runExample } from "../support/example-program.js";
import { expectReadmeMatches } from "../support/example-readme.js";

// Runs the example program under Pulumi mocks with platform=kvm: its whole graph must build.
it("examples/kvm-talos builds its graph with platform kvm", async () => {
  const { types, endpoint, registered } = await runExample("kvm-talos", "kvm");
  await expectReadmeMatches("kvm-talos", registered);
  expect(types.filter((t) => t === "pulumi-nodejs:dynamic/minos-talos:EtcdBootstrap")).toHaveLength(
    1,
  );
  expect(types.filter((t) => t.endsWith("minos-libvirt:ConfigDisk"))).toHaveLength(2);
  expect(endpoint).toBe("https://10.79.0.10:6443");
  expect(types).toContain("kubernetes:apps/v1:Deployment");
});
