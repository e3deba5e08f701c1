import { type ParseArgsConfig, parseArgs } from "node:util";

/** A command that cannot run as asked: one line saying what to give, set or install; exit 2. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(message: string) {
    super(`minos: ${message}`);
  }
}

/**
 * A command's arguments, parsed; Node's own parser messages (an unknown
 * option, a missing value) become one line naming the command's help.
 */
export function parseCommand<T extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, allowPositionals: true, options, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (!code?.startsWith("ERR_PARSE_ARGS")) throw error;
    throw new CliError(`${command}: ${message?.split(". ")[0]}; see minos ${command} --help`);
  }
}

/** A required option's value, or a CliError naming it and what it takes. */
export function required(option: string, value: string | undefined, allowed: string): string {
  if (value === undefined) throw new CliError(`${option} is required: ${allowed}`);
  return value;
}
