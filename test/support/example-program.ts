import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { mockFcosStream } from "./fcos-stream.js";
import type { RegisteredResource } from "./pulumi-mocks.js";
import { installMocks, resolved } from "./pulumi-mocks.js";

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

/** Every example, by folder. */
export type ExampleName =
  | "aws-flatcar"
  | "aws-mixed"
  | "compare-os"
  | "gcp-flatcar"
  | "kvm-fcos"
  | "kvm-flatcar"
  | "kvm-talos";

/**
 * Loads an example under mocks with exactly this stack config, as `pulumi
 * config set` would give it (a key without a namespace is the project's),
 * and returns its module or the error it stopped with. The module is loaded
 * afresh, so a file may try several configs the program refuses before it
 * makes anything; a program that runs registers its resources, once per
 * process.
 */
export async function loadExample(
  example: ExampleName,
  config: Record<string, string>,
): Promise<{ registered: RegisteredResource[]; error?: Error }> {
  const registered = installMocks();
  mockFcosStream();
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(config).map(([k, v]) => [
        k.includes(":") ? k : `${pulumi.getProject()}:${k}`,
        v,
      ]),
    ),
  );
  vi.resetModules();
  try {
    await import(`../../examples/${example}/index.ts`);
    return { registered };
  } catch (error) {
    return { registered, error: error as Error };
  }
}
