import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Every installed copy of a package under a project's node_modules: the
 * real folders (never the links pnpm makes to them), with their versions.
 * Walks npm's nested trees and pnpm's `.pnpm` store alike.
 */
export function packageCopies(project: string, name: string): { dir: string; version: string }[] {
  const copies: { dir: string; version: string }[] = [];
  const visit = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules)) {
      const at = join(modules, entry);
      if (entry === ".pnpm") {
        for (const id of readdirSync(at)) visit(join(at, id, "node_modules"));
      } else if (entry.startsWith("@")) {
        if (!lstatSync(at).isDirectory()) continue;
        for (const pkg of readdirSync(at)) seen(join(at, pkg), `${entry}/${pkg}`);
      } else if (!entry.startsWith(".")) {
        seen(at, entry);
      }
    }
  };
  const seen = (dir: string, pkg: string): void => {
    if (!lstatSync(dir).isDirectory()) return; // a link, or a file
    if (pkg === name) {
      const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      copies.push({ dir, version });
    }
    visit(join(dir, "node_modules"));
  };
  visit(join(project, "node_modules"));
  return copies;
}
