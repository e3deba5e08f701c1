import { expect, it } from "vitest";
import { runFcosExample } from "../support/example-fcos.js";

// Runs the example program under Pulumi mocks with platform=kvm: its whole graph must build.
it("examples/kvm-fcos builds its graph with platform kvm", async () => {
  const { registered, endpoint } = await runFcosExample("kvm");
  const types = registered.map((r) => r.type);
  expect(types.filter((t) => t === "pulumi-nodejs:dynamic/minos-fcos:StreamImages")).toHaveLength(
    1,
  );
  expect(types.filter((t) => t.endsWith("minos-libvirt:Domain"))).toHaveLength(2);
  expect(endpoint).toBe("https://10.78.0.10:6443");
  expect(types).toContain("kubernetes:apps/v1:Deployment");
});
