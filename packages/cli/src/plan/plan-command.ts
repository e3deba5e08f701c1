import type { Command } from "../command.js";
import { PLAN_HELP } from "./plan-help.js";

/** `minos plan`. */
export const planCommand: Command = {
  name: "plan",
  summary: "list what a Pulumi program would create, under mocks",
  help: PLAN_HELP,
  async run(args) {
    // Loaded here only: plan runs programs under the Pulumi SDK, which
    // render never loads (it starts in a fraction of the time without it).
    const { formatPlan, plan, planJson } = await import("./plan.js");
    const result = await plan(args);
    if (result === "help") {
      process.stdout.write(PLAN_HELP);
      return 0;
    }
    process.stdout.write(result.json ? planJson(result) : formatPlan(args[0] ?? "", result));
    return 0;
  },
};
