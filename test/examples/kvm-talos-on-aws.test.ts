import { expect, it } from "vitest";
import { runExample } from "../support/example-program.js";

// Runs the example program under Pulumi mocks with platform=aws: its whole graph must build.
it("examples/kvm-talos builds its graph with platform aws", async () => {
  const { types, endpoint } = await runExample("kvm-talos", "aws");
  expect(types.filter((t) => t === "pulumi-nodejs:dynamic/minos-talos:EtcdBootstrap")).toHaveLength(
    1,
  );
  expect(types.filter((t) => t === "aws:lb/listener:Listener")).toHaveLength(2);
  expect(endpoint).toMatch(/^https:\/\/.*\.elb\.us-east-1\.amazonaws\.com:6443$/);
  expect(types).toContain("kubernetes:apps/v1:Deployment");
});
