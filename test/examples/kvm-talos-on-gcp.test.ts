import { expect, it } from "vitest";
import { runExample } from "../support/example-program.js";

// Runs the example program under Pulumi mocks with platform=gcp: its whole graph must build.
it("examples/kvm-talos builds its graph with platform gcp", async () => {
  const { types, endpoint } = await runExample("kvm-talos", "gcp");
  expect(types.filter((t) => t === "pulumi-nodejs:dynamic/minos-talos:EtcdBootstrap")).toHaveLength(
    1,
  );
  expect(types).toContain("gcp:compute/image:Image");
  expect(endpoint).toBe("https://203.0.113.50:6443");
  expect(types).toContain("kubernetes:apps/v1:Deployment");
});
