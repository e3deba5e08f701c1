/**
 * One `minos` command: an entry of `COMMANDS` (commands.ts). `minos` lists
 * its name and summary, `minos help <name>` and `minos <name> --help` print
 * its help, and `run` does the work.
 */
export interface Command {
  /** The word after `minos`. */
  name: string;
  /** One line for `minos --help`. */
  summary: string;
  /** Its usage and options, as `minos help <name>` prints them. */
  help: string;
  /**
   * Runs with the arguments after the command's name and returns the exit
   * code (0). Bad usage throws: `UsageError` (prints the help too),
   * `CliError`, `MinosError` or `MissingPeerError`, one line each, exit 2;
   * anything else is a crash (exit 1, trace in a file).
   */
  run(args: string[]): Promise<number>;
}
