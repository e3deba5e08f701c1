import { readFileSync } from "node:fs";
import { declaredConfig } from "@minos/workload";
import { expect } from "vitest";
import type { ExampleName as Example } from "./example-program.js";
import type { RegisteredResource } from "./pulumi-mocks.js";

function readme(example: Example): string {
  return readFileSync(new URL(`../../examples/${example}/README.md`, import.meta.url), "utf8");
}

/** The README's "Config" table: each row's key (backticks off) and default cell. */
export function readmeConfigTable(example: Example): { name: string; default: string }[] {
  const section = readme(example)
    .split(/^## /m)
    .find((s) => s.startsWith("Config\n"));
  if (!section) throw new Error(`examples/${example}/README.md has no "## Config" section`);
  return section
    .split("\n")
    .filter((line) => line.startsWith("| "))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .filter(([key]) => key !== "key" && !key?.startsWith("-"))
    .map(([key, value]) => ({ name: (key ?? "").replace(/`/g, ""), default: value ?? "" }));
}

/** The count the README states: "<n> resources with the default config". */
export function readmeResourceCount(example: Example): number | undefined {
  const found = /\b(\d+) resources with the default config\b/.exec(readme(example));
  return found ? Number(found[1]) : undefined;
}

/** How many resources the program registered, once none has come for half a second. */
export async function settledCount(registered: RegisteredResource[]): Promise<number> {
  for (let last = -1; last !== registered.length; ) {
    last = registered.length;
    await new Promise((r) => setTimeout(r, 500));
  }
  return registered.length;
}

/**
 * After an example ran under mocks with its default config: its README's
 * config table lists exactly the keys the program declared, with their
 * defaults (rows of other namespaces it does not read, such as
 * `aws:region`, are the providers' and may stay), the program read every key
 * it declared, and the README states the number of resources it made.
 */
export async function expectReadmeMatches(
  example: Example,
  registered: RegisteredResource[],
): Promise<void> {
  const declared = declaredConfig();
  expect(declared.length).toBeGreaterThan(0);
  expect(declared.filter((k) => !k.read).map((k) => k.name)).toEqual([]);
  const names = new Set(declared.map((k) => k.name));
  const rows = readmeConfigTable(example).filter(
    (row) => names.has(row.name) || !/:/.test(row.name),
  );
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  expect(rows.sort(byName)).toEqual(
    declared.map(({ name, default: value }) => ({ name, default: value })).sort(byName),
  );
  const count = await settledCount(registered);
  console.log(`${example}: ${count} resources`);
  expect(readmeResourceCount(example)).toBe(count);
}
