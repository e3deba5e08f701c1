import { readFileSync, writeFileSync } from "node:fs";
import { MinosError, parseComparison } from "@minos/core/render";
import { parseCommand, UsageError } from "../cli-error.js";
import type { Command } from "../command.js";

/** `minos compare --help`. */
export const COMPARE_HELP = `Usage: minos compare export [<stack-output.json>] [--out <file>]

Writes a stack's comparison document (docs/comparison.md) to a file, checked
against the schema. It reads what Pulumi prints for the compare-os example:
  pulumi stack output --json comparison | minos compare export --out run.json
from the file named, or from stdin without one (or with -). The whole
stack's outputs (pulumi stack output --json) are taken too: their
\`comparison\` is written. A document that fails the schema, or a secret
Pulumi did not show, is refused naming the field (exit 2).

Options:
  --out <file>         write the document there (default: stdout)
  -h, --help           show this help
`;

/** The document in what `pulumi stack output --json` printed: the output itself, or the stack's outputs holding it. */
export function exportComparison(text: string, source: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new MinosError("<stack-output.json>", source, `give JSON (${(e as Error).message})`);
  }
  if (value === "[secret]")
    throw new MinosError(
      "comparison",
      "[secret]",
      "the stack output is secret: run pulumi stack output --json --show-secrets comparison",
    );
  const outputs = value as Record<string, unknown> | null;
  const doc =
    outputs &&
    typeof outputs === "object" &&
    !("schemaVersion" in outputs) &&
    "comparison" in outputs
      ? outputs.comparison
      : value;
  return `${JSON.stringify(parseComparison(JSON.stringify(doc), source), null, 2)}\n`;
}

/** `minos compare`: for now one subcommand, `export`. */
export const compareCommand: Command = {
  name: "compare",
  summary: "write a stack's comparison output to a checked comparison JSON file",
  help: COMPARE_HELP,
  async run(args) {
    const { values, positionals } = parseCommand(args, {
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    });
    if (values.help) {
      process.stdout.write(COMPARE_HELP);
      return 0;
    }
    const [sub, file, ...extra] = positionals;
    if (sub !== "export") throw new UsageError("compare", "name a subcommand: export");
    if (extra.length > 0) throw new UsageError("compare", "name at most one file to read");
    const fromStdin = file === undefined || file === "-";
    let text: string;
    try {
      text = readFileSync(fromStdin ? 0 : file, "utf8");
    } catch (e) {
      throw new MinosError(
        "<stack-output.json>",
        fromStdin ? "stdin" : file,
        `name a readable file (${(e as NodeJS.ErrnoException).code})`,
      );
    }
    const json = exportComparison(text, fromStdin ? "stdin" : file);
    if (values.out) {
      writeFileSync(values.out, json);
      process.stderr.write(`minos: wrote the comparison document to ${values.out}\n`);
    } else process.stdout.write(json);
    return 0;
  },
};
