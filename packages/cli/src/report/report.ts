import { readFileSync } from "node:fs";
import { MinosError, parseComparison } from "@minos/core/render";
import { parseCommand, UsageError } from "../cli-error.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import type { LoadedComparison } from "./summary.js";

/** What `minos report` was asked for: the report's text and where it goes. */
export interface ReportResult {
  text: string;
  out: string | undefined;
  format: "html" | "md";
}

/** Reads and checks every comparison file named, and renders them in the format asked for. */
export function report(argv: string[]): ReportResult | "help" {
  const { values, positionals } = parseCommand(argv, {
    out: { type: "string" },
    format: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return "help";
  if (positionals.length === 0)
    throw new UsageError("report", "name one or more comparison JSON files");
  const format = values.format ?? "html";
  if (format !== "html" && format !== "md")
    throw new MinosError("--format", format, "use html or md");
  const files: LoadedComparison[] = positionals.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      throw new MinosError(
        "<comparison.json>",
        path,
        `name a readable file (${(e as NodeJS.ErrnoException).code})`,
      );
    }
    return { label: path, document: parseComparison(text, path) };
  });
  const labels = new Set(files.map((f) => f.label));
  if (labels.size !== files.length)
    throw new MinosError("<comparison.json>", positionals, "name each file once");
  return {
    text: format === "md" ? renderMarkdown(files) : renderHtml(files),
    out: values.out,
    format,
  };
}
