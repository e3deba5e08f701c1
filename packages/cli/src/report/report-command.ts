import { writeFileSync } from "node:fs";
import type { Command } from "../command.js";
import { report } from "./report.js";
import { REPORT_HELP } from "./report-help.js";

/** `minos report`. */
export const reportCommand: Command = {
  name: "report",
  summary: "turn comparison JSON files into an HTML page or Markdown tables",
  help: REPORT_HELP,
  async run(args) {
    const result = report(args);
    if (result === "help") {
      process.stdout.write(REPORT_HELP);
      return 0;
    }
    if (result.out) {
      writeFileSync(result.out, result.text);
      process.stderr.write(`minos: wrote the ${result.format} report to ${result.out}\n`);
    } else process.stdout.write(result.text);
    return 0;
  },
};
