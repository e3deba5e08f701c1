import { MinosError } from "../errors.js";

/**
 * An http(s) URL nodes or the program fetch from: a mirror's base URL or a
 * file. Returned without trailing slashes so paths join predictably.
 */
export function validateHttpUrl(argument: string, value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {}
  if (!url || !["https:", "http:"].includes(url.protocol) || url.search || url.hash) {
    throw new MinosError(argument, value, "use an http(s) URL without query or fragment");
  }
  return (value as string).replace(/\/+$/, "");
}
