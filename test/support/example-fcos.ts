import * as pulumi from "@pulumi/pulumi";
import { mockFcosStream } from "./fcos-stream.js";
import { installMocks, type RegisteredResource, resolved } from "./pulumi-mocks.js";

/**
 * Runs examples/kvm-fcos under mocks with `platform` set, as `pulumi config
 * set platform <name>` would. One platform per test file: a program's
 * resources may be registered once per process.
 */
export async function runFcosExample(
  platform: "kvm" | "aws" | "gcp",
): Promise<{ registered: RegisteredResource[]; endpoint: string }> {
  const registered = installMocks();
  mockFcosStream();
  // Under mocks the project is the mocks' own; the example reads its config from it.
  pulumi.runtime.setConfig(`${pulumi.getProject()}:platform`, platform);
  pulumi.runtime.setConfig("gcp:region", "europe-west1");
  const program = await import("../../examples/kvm-fcos/index.js");
  await resolved(program.controlPlaneIps);
  const endpoint = await resolved(program.endpoint);
  await new Promise((r) => setTimeout(r, 500));
  console.log(`kvm-fcos on ${platform}: ${registered.length} resources`);
  return { registered, endpoint };
}
