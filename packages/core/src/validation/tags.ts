import { MinosError } from "../errors.js";

/** User tags: string keys and values, as every cloud accepts (further limits are the cloud's). */
export function validateTags(argument: string, tags: unknown): Record<string, string> {
  if (tags === undefined) return {};
  if (typeof tags !== "object" || tags === null || Array.isArray(tags)) {
    throw new MinosError(argument, tags, "use an object of tag names to string values");
  }
  for (const [key, value] of Object.entries(tags)) {
    // AWS refuses user tags under its own prefix; GCP reserves goog- in labels.
    if (/^(aws:|goog)/i.test(key))
      throw new MinosError(
        `${argument}.${key}`,
        key,
        'use a key that does not begin with "aws:" or "goog" (reserved by the clouds)',
      );
    // The cluster sets it from expiresAt, over the user's.
    if (key === "minos:expires-at")
      throw new MinosError(`${argument}.${key}`, value, "leave it out and give expiresAt instead");
    if (key === "" || key.length > 128 || typeof value !== "string" || value.length > 256) {
      throw new MinosError(
        `${argument}.${key}`,
        value,
        "use keys of 1-128 and values of up to 256 characters",
      );
    }
  }
  return tags as Record<string, string>;
}
