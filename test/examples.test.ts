import { describe, expect, it } from "vitest";
import { installMocks } from "./support/pulumi-mocks.js";

/**
 * Runs each example program under Pulumi mocks: it must build its whole
 * resource graph without a cloud. Prints the resource count for its README.
 */
describe("examples", () => {
  it("aws-flatcar builds its graph", async () => {
    const registered = installMocks();
    const program = await import("../examples/aws-flatcar/index.js");
    await new Promise<void>((resolve) => program.nodePools.apply(() => resolve()));
    await new Promise((r) => setTimeout(r, 500));
    const types = registered.map((r) => r.type);
    const custom = registered.filter((r) => !r.type.startsWith("minos:"));
    console.log(
      `aws-flatcar: ${registered.length} resources (${custom.length} outside minos components)`,
    );
    expect(types.filter((t) => t === "aws:ec2/instance:Instance")).toHaveLength(1);
    expect(types.filter((t) => t === "aws:autoscaling/group:Group")).toHaveLength(1);
    expect(types).toContain("kubernetes:apps/v1:Deployment");
    expect(types).toContain("kubernetes:core/v1:Service");
    expect(types).toContain("pulumi-nodejs:dynamic/minos:ApiReadiness");
  });
});
