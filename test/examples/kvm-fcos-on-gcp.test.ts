import { expect, it } from "vitest";
import { runExample } from "../support/example-program.js";

// Runs the example program under Pulumi mocks with platform=gcp: its whole graph must build.
it("examples/kvm-fcos builds its graph with platform gcp", async () => {
  const { types, endpoint } = await runExample("kvm-fcos", "gcp");
  expect(types.filter((t) => t === "pulumi-nodejs:dynamic/minos-fcos:StreamImages")).toHaveLength(
    1,
  );
  expect(types.filter((t) => t === "gcp:compute/instance:Instance")).toHaveLength(1);
  expect(endpoint).toBe("https://203.0.113.50:6443");
  expect(types).toContain("kubernetes:apps/v1:Deployment");
});
