import * as pulumi from "@pulumi/pulumi";
import { expect, it } from "vitest";
import { expectReadmeMatches } from "../support/example-readme.js";
import { installMocks, resolved } from "../support/pulumi-mocks.js";

// Runs the example program under Pulumi mocks: its whole graph must build without a cloud.
it("examples/aws-mixed builds its graph: Flatcar and Bottlerocket pools, nginx pinned per OS", async () => {
  const registered = installMocks();
  const program = await import("../../examples/aws-mixed/index.js");
  await resolved(program.controlPlaneIps);
  await resolved(pulumi.output(program.services));
  await expectReadmeMatches("aws-mixed", registered);
  const groups = registered.filter((r) => r.type === "aws:autoscaling/group:Group");
  expect(groups.map((g) => g.name).sort()).toEqual(["mixed-worker-flatcar", "rocket-bottlerocket"]);
  const deployments = registered.filter((r) => r.type === "kubernetes:apps/v1:Deployment");
  expect(
    deployments.map((d) => [
      d.name,
      (d.inputs.spec as { template: { spec: { nodeSelector: unknown } } }).template.spec
        .nodeSelector,
    ]),
  ).toEqual([
    ["nginx-flatcar", { "minos.dev/os": "flatcar" }],
    ["nginx-bottlerocket", { "minos.dev/os": "bottlerocket" }],
  ]);
  expect(program.bottlerocketVariant).toBe("aws-k8s-1.35");
});
