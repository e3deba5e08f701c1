import { MinosError } from "../errors.js";

/** An ISO 8601 UTC time to the second: the form a nightly cleanup compares. */
export function validateExpiresAt(argument: string, value: unknown): string {
  if (
    typeof value !== "string" ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) ||
    Number.isNaN(Date.parse(value)) ||
    new Date(value).toISOString().slice(0, 19) !== value.slice(0, 19)
  )
    throw new MinosError(argument, value, 'use an ISO 8601 UTC time like "2026-11-27T06:00:00Z"');
  return value;
}
