import * as pulumi from "@pulumi/pulumi";
import { mockFcosStream } from "./fcos-stream.js";
import { installMocks, type RegisteredResource, resolved } from "./pulumi-mocks.js";

/**
 * Runs an example with a `platform` switch under mocks, as `pulumi config set
 * platform <name>` would. One run per test file: a program's resources may be
 * registered once per process.
 */
export async function runExample(
  example: "kvm-fcos" | "kvm-flatcar" | "kvm-talos",
  platform: "kvm" | "aws" | "gcp",
): Promise<{ registered: RegisteredResource[]; types: string[]; endpoint: string }> {
  const registered = installMocks();
  mockFcosStream();
  // Under mocks the project is the mocks' own; the example reads its config from it.
  pulumi.runtime.setConfig(`${pulumi.getProject()}:platform`, platform);
  pulumi.runtime.setConfig("gcp:region", "europe-west1");
  const program =
    example === "kvm-fcos"
      ? await import("../../examples/kvm-fcos/index.js")
      : example === "kvm-flatcar"
        ? await import("../../examples/kvm-flatcar/index.js")
        : await import("../../examples/kvm-talos/index.js");
  await resolved(program.controlPlaneIps);
  const endpoint = await resolved(program.endpoint);
  await new Promise((r) => setTimeout(r, 500));
  console.log(`${example} on ${platform}: ${registered.length} resources`);
  return { registered, types: registered.map((r) => r.type), endpoint };
}
