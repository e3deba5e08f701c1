import * as pulumi from "@pulumi/pulumi";
import { expect, it } from "vitest";
import { expectReadmeMatches } from "../support/example-readme.js";
import { installMocks, resolved } from "../support/pulumi-mocks.js";

// Runs the example program under Pulumi mocks: its whole graph must build without a cloud.
it("examples/gcp-flatcar builds its graph", async () => {
  const registered = installMocks();
  pulumi.runtime.setConfig("gcp:region", "europe-west1");
  const program = await import("../../examples/gcp-flatcar/index.js");
  await resolved(program.nodePools);
  await resolved(program.controlPlaneIps);
  await expectReadmeMatches("gcp-flatcar", registered);
  const types = registered.map((r) => r.type);
  expect(types.filter((t) => t === "gcp:compute/instance:Instance")).toHaveLength(1);
  expect(
    types.filter((t) => t === "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"),
  ).toHaveLength(1);
  expect(types).toContain("kubernetes:apps/v1:Deployment");
  expect(await resolved(program.endpoint)).toBe("https://203.0.113.50:6443");
});
