import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// docs/ARCHITECTURE.md's checklists, held to the OSes and platforms minos
// has: each row's file exists for each of them and names it there, so a
// row for a place one of them skips fails here, and so does a list without
// the files every package has.

const ROOT = join(import.meta.dirname, "..");
const ARCHITECTURE = readFileSync(join(ROOT, "docs/ARCHITECTURE.md"), "utf8");

const OSES = ["flatcar", "fcos", "talos", "bottlerocket"];
const PLATFORMS = ["aws", "gcp", "kvm"];

/** The files of the table after `heading` (its first column), `<x>` left in. */
function rows(heading: string): string[] {
  const at = ARCHITECTURE.indexOf(heading);
  if (at < 0) throw new Error(`no ${heading} in docs/ARCHITECTURE.md`);
  const table = ARCHITECTURE.slice(at)
    .split("\n\n")
    .find((b) => b.startsWith("| file"));
  return (table ?? "")
    .split("\n")
    .slice(2)
    .map((line) => /^\| `([^`]+)`\s*\|/.exec(line)?.[1])
    .filter((f): f is string => f !== undefined);
}

/** How a file names the OS or platform: its package, or the name itself where no import is. */
const names = (name: string, file: string) => {
  const text = readFileSync(join(ROOT, file), "utf8");
  return file.startsWith(`packages/${name}/`) || file.endsWith(`/${name}.md`)
    ? text.length > 0
    : text.includes(`@minos/${name}`) || new RegExp(`\\b${name}\\b`).test(text);
};

describe.each([
  ["**Add an OS**", "<os>", OSES],
  ["**Add a platform**", "<platform>", PLATFORMS],
])("docs/ARCHITECTURE.md's %s checklist", (heading, placeholder, members) => {
  const files = rows(heading);

  it("lists files", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(members)("every file it lists exists for %s and names it", (name) => {
    const missing = files
      .map((f) => f.replaceAll(placeholder, name))
      .filter((f) => !existsSync(join(ROOT, f)) || !names(name, f));
    expect(missing).toEqual([]);
  });

  it("names every package file each of them has in common", () => {
    // src files all of them have, beyond the listed ones, would be a step the list forgets.
    const listed = new Set(files.filter((f) => f.includes(placeholder)));
    for (const candidate of ["README.md", "package.json", "tsconfig.json", "src/index.ts"])
      expect(listed.has(`packages/${placeholder}/${candidate}`), candidate).toBe(true);
  });
});
