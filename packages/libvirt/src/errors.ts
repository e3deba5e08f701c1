/**
 * Bad input to the driver, refused before anything runs. Like `@minos/core`'s
 * `MinosError` (which this package sits below), it names the argument, the
 * value it was given and what would have been accepted.
 */
export class LibvirtInputError extends Error {
  override readonly name = "LibvirtInputError";

  constructor(
    /** The argument, e.g. `uri` or `hosts[2].name`. */
    readonly argument: string,
    /** The value that was refused. */
    readonly value: unknown,
    /** What is allowed instead, as a sentence fragment. */
    readonly allowed: string,
  ) {
    super(`minos: invalid ${argument}: ${describe(value)}; ${allowed}`);
  }
}

/** Prints a refused value compactly and safely (long strings are cut). */
export function describe(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
