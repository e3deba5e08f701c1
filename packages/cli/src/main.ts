import { writeFileSync } from "node:fs";
import { MinosError } from "@minos/core/render";
import { CliError } from "./cli-error.js";
import { DOCTOR_HELP, doctor } from "./doctor/doctor.js";
import { MissingPeerError } from "./plan/typescript-loader.js";
import { RENDER_HELP, render } from "./render.js";

const HELP = `Usage: minos <command> [options]

Commands:
  render    print the first-boot payload a node receives
  plan      list what a Pulumi program would create, under mocks
  doctor    check this machine can build clusters on KVM

Run 'minos <command> --help' for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "render") {
    const result = await render(rest);
    if (result === "help") {
      process.stdout.write(RENDER_HELP);
      return 0;
    }
    if (result.out) writeFileSync(result.out, result.payload);
    else process.stdout.write(result.payload);
    process.stderr.write(`${result.summary}\n`);
    return 0;
  }
  if (command === "plan") {
    // Loaded here only: plan runs programs under the Pulumi SDK, which
    // render never loads (it starts in a fraction of the time without it).
    const { formatPlan, PLAN_HELP, plan, planJson } = await import("./plan/plan.js");
    const result = await plan(rest);
    if (result === "help") {
      process.stdout.write(PLAN_HELP);
      return 0;
    }
    process.stdout.write(result.json ? planJson(result) : formatPlan(rest[0] ?? "", result));
    return 0;
  }
  if (command === "doctor") {
    const result = await doctor(rest);
    process.stdout.write(result === "help" ? DOCTOR_HELP : result.text);
    return result === "help" ? 0 : result.exitCode;
  }
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  process.stderr.write(`minos: unknown command ${JSON.stringify(command)}\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known =
      error instanceof MinosError || error instanceof MissingPeerError || error instanceof CliError;
    process.stderr.write(`${known ? (error as Error).message : (error as Error).stack}\n`);
    process.exitCode = known ? 2 : 1;
  },
);
