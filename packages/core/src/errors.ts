import { safeArgumentPath, secretShape } from "./secret-shapes.js";

// Bound to a name of this module: Pulumi serializes minosErrorMessage into
// the version gate's provider, copying module-level values by value, where
// a captured import would become a `require` of a path no package exports.
const shapeOf = secretShape;
const safePath = safeArgumentPath;

/**
 * The one error type minos throws for bad input. It always names the argument,
 * the value it was given and what would have been accepted, so a user can fix
 * the program without reading minos' source.
 */
export class MinosError extends Error {
  override readonly name = "MinosError";
  /** The value that was rejected; not enumerable, so inspecting the error never prints it. */
  declare readonly value: unknown;

  constructor(
    /** Dotted path of the argument, e.g. `nodePools.gpu.count`. */
    readonly argument: string,
    value: unknown,
    /** What is allowed instead, as a sentence fragment. */
    readonly allowed: string,
  ) {
    super(minosErrorMessage(argument, value, allowed));
    Object.defineProperty(this, "value", { value, enumerable: false });
  }
}

/**
 * A MinosError's message, on its own: for code Pulumi serializes into
 * another process (a dynamic provider), which can throw a plain Error with
 * it but not the class (serialized classes lose what `Error` sets).
 */
export function minosErrorMessage(argument: string, value: unknown, allowed: string): string {
  return `minos: invalid ${safePath(argument)}: ${describe(value)}; ${allowed}`;
}

/**
 * Prints a rejected value compactly and safely: long strings are cut, and a
 * value holding key material or a token is described, never shown.
 */
function describe(value: unknown): string {
  let text: string;
  try {
    text =
      typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  const secret = shapeOf(text);
  if (secret) return `(${secret}, not shown)`;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
