import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MinosError } from "@minos/core/render";
import { CliError, MissingPeerError, UsageError } from "./cli-error.js";
import { COMMANDS } from "./commands.js";
import { crashReport } from "./crash.js";

/** The package's version, from its package.json beside dist/. */
const VERSION = (
  JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { version: string }
).version;

const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 4;
const HELP = `Usage: minos <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join("\n")}

Options:
  -h, --help       show this help
  -V, --version    print minos' version

Run 'minos help <command>' or 'minos <command> --help' for a command's options.
`;

const commandNamed = (name: string | undefined) => COMMANDS.find((c) => c.name === name);

/** Runs the command line; returns the exit code: 0 ok, 1 failure or crash, 2 bad usage or input. */
async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  const command = commandNamed(first);
  if (command) return command.run(rest);
  if (first === "--help" || first === "-h") {
    process.stdout.write(HELP);
    return 0;
  }
  if (first === "--version" || first === "-V") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first === "help") {
    if (rest.length === 0) {
      process.stdout.write(HELP);
      return 0;
    }
    const topic = commandNamed(rest[0]);
    if (topic && rest.length === 1) {
      process.stdout.write(topic.help);
      return 0;
    }
    process.stderr.write(`minos: no such command ${JSON.stringify(rest.join(" "))}\n\n${HELP}`);
    return 2;
  }
  if (first === undefined) {
    process.stderr.write(HELP);
    return 2;
  }
  process.stderr.write(`minos: unknown command ${JSON.stringify(first)}\n\n${HELP}`);
  return 2;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${commandNamed(error.command)?.help ?? HELP}`);
      process.exitCode = 2;
      return;
    }
    const known =
      error instanceof MinosError || error instanceof MissingPeerError || error instanceof CliError;
    process.stderr.write(known ? `${error.message}\n` : crashReport(error, argv, VERSION));
    process.exitCode = known ? 2 : 1;
  },
);
