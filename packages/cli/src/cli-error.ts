import type { ParseArgsConfig } from "node:util";
import { parseArgs } from "node:util";
import { closest, MinosError } from "@minos/core/render";

/** A command that cannot run as asked: one line saying what to give, set or install; exit 2. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(message: string) {
    super(`minos: ${message}`);
  }
}

/**
 * A command given too little to start (`minos render` alone): its message,
 * then that command's usage, on stderr; exit 2.
 */
export class UsageError extends CliError {
  constructor(
    /** The command whose usage to print. */
    readonly command: string,
    message: string,
  ) {
    super(message);
  }
}

/** A missing optional peer dependency: the user installs it, no stack trace helps; exit 2. */
export class MissingPeerError extends Error {
  override readonly name = "MissingPeerError";
}

/**
 * What `parseCommand` returns: each option's value by its declared type
 * (a string, a flag, or the strings of a repeatable one), and the
 * positional arguments.
 */
export interface ParsedCommand<T extends NonNullable<ParseArgsConfig["options"]>> {
  values: {
    [K in keyof T]?: T[K] extends { multiple: true }
      ? T[K] extends { type: "boolean" }
        ? boolean[]
        : string[]
      : T[K] extends { type: "boolean" }
        ? boolean
        : string;
  };
  positionals: string[];
}

/**
 * A command's arguments, parsed. Node's own parser messages become a
 * MinosError naming the option: an unknown one with a "did you mean" hint
 * and the options there are, one without its value, or a switch given one.
 */
export function parseCommand<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
): ParsedCommand<T> {
  // The type is named, not inferred: Node's spells out key remapping, which
  // the TypeScript 3.8 that Pulumi falls back to cannot parse in a .d.ts.
  try {
    return parseArgs({ args, allowPositionals: true, options, strict: true }) as ParsedCommand<T>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    // "Unknown option '--rol'", "Option '--role <value>' argument missing", "Option '-h, --help' does ...".
    const option = /'(?:-\w, )?(-[^' ,]+)/.exec((e as Error).message)?.[1];
    if (!option || !code?.startsWith("ERR_PARSE_ARGS")) throw e;
    const known = Object.keys(options).map((o) => `--${o}`);
    if (code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      throw new MinosError(
        option,
        undefined,
        /does not take an argument/.test((e as Error).message)
          ? "it is a switch: give it no value"
          : "give it a value",
      );
    const hint = closest(option, known);
    throw new MinosError(
      option,
      option,
      `there is no such option${hint ? ` (did you mean ${hint}?)` : ""}; use ${known.join(", ")}`,
    );
  }
}

/** A required option's value, or a CliError naming it and what it takes. */
export function required(option: string, value: string | undefined, allowed: string): string {
  if (value === undefined) throw new CliError(`${option} is required: ${allowed}`);
  return value;
}
