import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

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
