import { COORDINATED_UPDATES, type OsUpdates, WEEKDAYS } from "../contracts/os-updates.js";
import { MinosError } from "../errors.js";

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A week: longer windows mean "any time", which is what leaving it out says. */
const MAX_WINDOW_MINUTES = 7 * 24 * 60 - 1;

/** Checks `osUpdates`; returns it with defaults applied. */
export function validateOsUpdates(argument: string, value: unknown): OsUpdates {
  if (value === undefined) return COORDINATED_UPDATES;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new MinosError(argument, value, 'use { mode: "coordinated" | "off", window? }');
  const { mode = "coordinated", window, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new MinosError(
      `${argument}.${unknown[0]}`,
      rest[unknown[0] as string],
      "use mode or window",
    );
  if (mode !== "coordinated" && mode !== "off")
    throw new MinosError(`${argument}.mode`, mode, 'use "coordinated" or "off"');
  if (window === undefined) return { mode };
  if (mode === "off")
    throw new MinosError(`${argument}.window`, window, 'a window needs mode "coordinated"');
  if (typeof window !== "object" || window === null)
    throw new MinosError(`${argument}.window`, window, "use { days?, start, lengthMinutes }");
  const w = window as Record<string, unknown>;
  const days = w.days ?? [...WEEKDAYS];
  if (
    !Array.isArray(days) ||
    days.length === 0 ||
    days.some((d) => !(WEEKDAYS as readonly unknown[]).includes(d)) ||
    new Set(days).size !== days.length
  )
    throw new MinosError(
      `${argument}.window.days`,
      w.days,
      `use distinct days from ${WEEKDAYS.join(", ")}`,
    );
  if (typeof w.start !== "string" || !TIME.test(w.start))
    throw new MinosError(`${argument}.window.start`, w.start, 'use "HH:MM" (24 h, UTC)');
  const length = w.lengthMinutes;
  if (
    typeof length !== "number" ||
    !Number.isInteger(length) ||
    length < 30 ||
    length > MAX_WINDOW_MINUTES
  )
    throw new MinosError(
      `${argument}.window.lengthMinutes`,
      length,
      `use whole minutes from 30 to ${MAX_WINDOW_MINUTES}`,
    );
  // Week order, so the same window renders the same bytes however it was written.
  const ordered = WEEKDAYS.filter((d) => (days as string[]).includes(d));
  return { mode, window: { days: ordered, start: w.start, lengthMinutes: length } };
}
