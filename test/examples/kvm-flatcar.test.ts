import { expect, it } from "vitest";
import { EXAMPLE_NODES } from "../../packages/cli/src/doctor/checks.js";
import { expectReadmeMatches } from "../support/example-readme.js";
import { installMocks, resolved } from "../support/pulumi-mocks.js";

// Runs the example program under Pulumi mocks: its whole graph must build without libvirt.
it("examples/kvm-flatcar builds its graph", async () => {
  const registered = installMocks();
  const program = await import("../../examples/kvm-flatcar/index.js");
  await resolved(program.controlPlaneIps);
  await expectReadmeMatches("kvm-flatcar", registered);
  const kinds = registered.map((r) =>
    r.type.replace("pulumi-nodejs:dynamic/minos-libvirt:", "libvirt:"),
  );
  // As many machines as minos doctor sizes the storage pool for.
  expect(kinds.filter((t) => t === "libvirt:Domain")).toHaveLength(EXAMPLE_NODES);
  expect(EXAMPLE_NODES).toBe(2);
  expect(kinds.filter((t) => t === "libvirt:Network")).toHaveLength(1);
  expect(kinds).toContain("kubernetes:apps/v1:Deployment");
  expect(await resolved(program.endpoint)).toBe("https://10.77.0.10:6443");
});
