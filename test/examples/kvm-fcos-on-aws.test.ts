import { expect, it } from "vitest";
import { runExample } from "../support/example-program.js";

// Runs the example program under Pulumi mocks with platform=aws: its whole graph must build.
it("examples/kvm-fcos builds its graph with platform aws", async () => {
  const { types, endpoint } = await runExample("kvm-fcos", "aws");
  expect(types.filter((t) => t === "pulumi-nodejs:dynamic/minos-fcos:StreamImages")).toHaveLength(
    1,
  );
  expect(types.filter((t) => t === "aws:ec2/instance:Instance")).toHaveLength(1);
  expect(types).toContain("aws:autoscaling/group:Group");
  expect(endpoint).toMatch(/^https:\/\/.*\.elb\.us-east-1\.amazonaws\.com:6443$/);
  expect(types).toContain("kubernetes:apps/v1:Deployment");
});
