import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "../cli-error.js";
import type { RenderableOs } from "../operating-systems.js";
import { treeSummary, writeIgnitionTree } from "./ignition-tree.js";

/**
 * `minos render --files <dir>`: what the node's payload lays down, readable.
 * An Ignition config becomes the tree it writes (`writeIgnitionTree`); a
 * Talos machine config or Bottlerocket settings, one document the OS reads
 * whole, is written as that one file. Returns the line for stderr.
 */
export function renderFiles(os: RenderableOs, payload: string, dir: string): string {
  if (os.files === "ignition") return treeSummary(dir, writeIgnitionTree(JSON.parse(payload), dir));
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new CliError(`--files ${dir}: the folder is not empty; name a new or empty one`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, os.files.document);
  // It holds the node's secrets, as the secrets file does.
  writeFileSync(file, payload, { mode: 0o600 });
  chmodSync(file, 0o600);
  return `minos: wrote ${file}: the one document the node reads`;
}
