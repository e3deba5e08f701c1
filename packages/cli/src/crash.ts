import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * What a crash (an error minos did not expect) tells the user: its message
 * on one line, and where its full trace is, a file under the OS's temporary
 * folder, to attach to a report. A trace on the terminal helps nobody run
 * the command; in a file it helps whoever fixes it.
 */
export function crashReport(error: unknown, argv: string[], version: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const trace = error instanceof Error ? (error.stack ?? message) : String(error);
  const first = message.split("\n")[0] || "unexpected error";
  try {
    const file = join(mkdtempSync(join(tmpdir(), "minos-crash-")), "trace.txt");
    writeFileSync(
      file,
      `minos ${version} on Node ${process.version} (${process.platform} ${process.arch})\nminos ${argv.join(" ")}\n\n${trace}\n`,
    );
    return `minos: ${first}\nminos: this is a bug in minos; the full trace is in ${file}\n`;
  } catch {
    return `minos: ${first}\n${trace}\n`;
  }
}
