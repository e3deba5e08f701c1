import type { Command } from "./command.js";
import { compareCommand } from "./compare/compare-command.js";
import { doctorCommand } from "./doctor/command.js";
import { planCommand } from "./plan/plan-command.js";
import { renderCommand } from "./render-command.js";
import { reportCommand } from "./report/report-command.js";

/**
 * Every `minos` command, in the order `minos --help` lists them. A new
 * command is one entry here: a `Command` from its own module.
 */
export const COMMANDS: readonly Command[] = [
  renderCommand,
  planCommand,
  doctorCommand,
  reportCommand,
  compareCommand,
];
