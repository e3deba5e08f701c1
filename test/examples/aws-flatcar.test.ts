import { expect, it } from "vitest";
import { expectReadmeMatches } from "../support/example-readme.js";
import { installMocks } from "../support/pulumi-mocks.js";

// Runs the example program under Pulumi mocks: its whole graph must build without a cloud.
it("examples/aws-flatcar builds its graph", async () => {
  const registered = installMocks();
  const program = await import("../../examples/aws-flatcar/index.js");
  await new Promise<void>((resolve) => program.nodePools.apply(() => resolve()));
  await expectReadmeMatches("aws-flatcar", registered);
  const types = registered.map((r) => r.type);
  expect(types.filter((t) => t === "aws:ec2/instance:Instance")).toHaveLength(1);
  expect(types.filter((t) => t === "aws:autoscaling/group:Group")).toHaveLength(1);
  expect(types).toContain("kubernetes:apps/v1:Deployment");
  expect(types).toContain("kubernetes:core/v1:Service");
  expect(types).toContain("pulumi-nodejs:dynamic/minos:ApiReadiness");
});
