/** `minos report --help`. */
export const REPORT_HELP = `Usage: minos report <comparison.json ...> [--out <file>] [--format html|md]

Turns comparison documents (docs/comparison.md) into a report: a chart per probe (a bar
per cluster at its median, a whisker from min to max, one colour per OS),
the clusters' facts, and what differed between them other than the OS.
Several files show side by side. A file that fails the schema
(docs/comparison.schema.json) is refused, naming the file and field (exit 2).

Options:
  --out <file>         write the report there (default: stdout)
  --format html|md     html: one self-contained page, inline CSS and SVG,
                       nothing fetched (default); md: Markdown tables, for a
                       pull-request comment
  -h, --help           show this help
`;
