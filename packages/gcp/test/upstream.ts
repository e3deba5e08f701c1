import { readFileSync } from "node:fs";
import type { PlatformServices } from "@minos/core";
import { expect } from "vitest";
import { parseAllDocuments } from "yaml";
import type { RegisteredResource } from "../../../test/support/pulumi-mocks.js";
import { installMocks, plain } from "../../../test/support/pulumi-mocks.js";
import { gcp } from "../src/index.js";

/** One object of an upstream manifest. */
// biome-ignore lint/suspicious/noExplicitAny: upstream YAML, read field by field in assertions.
export type Manifest = Record<string, any>;

/** Every object of a fixture copied from upstream (fixtures/<dir>/<file>), in order. */
export function fixture(path: string): Manifest[] {
  const text = readFileSync(new URL(`./fixtures/${path}`, import.meta.url), "utf8");
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as Manifest | null)
    .filter((d): d is Manifest => d !== null);
}

/** The one object of a kind and name in a fixture. */
export function upstreamObject(path: string, kind: string, name: string): Manifest {
  const found = fixture(path).filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`${path} has ${found.length} ${kind} ${name}`);
  return found[0] as Manifest;
}

/** A fixture's text, for files that are not YAML. */
export function fixtureText(path: string): string {
  return readFileSync(new URL(`./fixtures/${path}`, import.meta.url), "utf8");
}

/** The image tags `images/stable-master/image.yaml` gives each image name. */
export function stableImages(): Record<string, string> {
  return Object.fromEntries(
    fixture("pd-csi/image.yaml").map((t) => [
      t.imageTag.name,
      `${t.imageTag.newName ?? t.imageTag.name}:${t.imageTag.newTag}`,
    ]),
  );
}

/** The values a kustomize JSON patch of `op: add` at `path/-` appends, in order. */
export function appendedArgs(path: string): string[] {
  return fixture(path)
    .flatMap((doc) => (Array.isArray(doc) ? doc : [doc]))
    .filter((op) => op.op === "add")
    .map((op) => op.value as string);
}

/**
 * The add-ons `gcp().addons` registers for one cluster with `services`, and
 * a reader of the one object of a kind and name among them, as the API
 * server would get it.
 */
export async function registeredAddons(
  name: string,
  services: PlatformServices,
  ids: Record<string, string> = {},
): Promise<{
  registered: RegisteredResource[];
  ours: (kind: string, objectName: string) => Manifest;
}> {
  const registered: RegisteredResource[] = installMocks({ stack: name });
  gcp({ region: "europe-west1" }).addons?.({
    name,
    services,
    ids,
    podCidr: "10.244.0.0/16",
    opts: {},
  });
  await new Promise((r) => setTimeout(r, 200));
  const ours = (kind: string, objectName: string) => {
    const found = registered.filter(
      (r) =>
        r.type === `kubernetes:${kind}` &&
        (r.inputs.metadata as { name?: string } | undefined)?.name === objectName,
    );
    expect(found, `${kind} ${objectName}`).toHaveLength(1);
    return plain<Manifest>(found[0]?.inputs);
  };
  return { registered, ours };
}
