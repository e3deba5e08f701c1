/**
 * The one error type minos throws for bad input. It always names the argument,
 * the value it was given and what would have been accepted, so a user can fix
 * the program without reading minos' source.
 */
export class MinosError extends Error {
  override readonly name = "MinosError";

  constructor(
    /** Dotted path of the argument, e.g. `nodePools.gpu.count`. */
    readonly argument: string,
    /** The value that was rejected. */
    readonly value: unknown,
    /** What is allowed instead, as a sentence fragment. */
    readonly allowed: string,
  ) {
    super(minosErrorMessage(argument, value, allowed));
  }
}

/**
 * A MinosError's message, on its own: for code Pulumi serializes into
 * another process (a dynamic provider), which can throw a plain Error with
 * it but not the class (serialized classes lose what `Error` sets).
 */
export function minosErrorMessage(argument: string, value: unknown, allowed: string): string {
  return `minos: invalid ${argument}: ${describe(value)}; ${allowed}`;
}

/** Prints a rejected value compactly and safely (long strings are cut). */
function describe(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
