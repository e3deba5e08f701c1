import type { OsUpdates } from "../contracts/os-updates.js";
import { COORDINATED_UPDATES, WEEKDAYS } from "../contracts/os-updates.js";
import { MinosError } from "../errors.js";
import { refuseUnknownKeys } from "./keys.js";

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY_MINUTES = 24 * 60;

/** Checks `osUpdates`; returns it with defaults applied. */
export function validateOsUpdates(argument: string, value: unknown): OsUpdates {
  if (value === undefined) return COORDINATED_UPDATES;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new MinosError(argument, value, 'use { mode: "coordinated" | "off", window? }');
  refuseUnknownKeys(argument, value, ["mode", "window"]);
  const { mode = "coordinated", window } = value as Record<string, unknown>;
  if (mode !== "coordinated" && mode !== "off")
    throw new MinosError(`${argument}.mode`, mode, 'use "coordinated" or "off"');
  if (window === undefined) return { mode };
  if (mode === "off")
    throw new MinosError(`${argument}.window`, window, 'a window needs mode "coordinated"');
  if (typeof window !== "object" || window === null)
    throw new MinosError(`${argument}.window`, window, "use { days?, start, lengthMinutes }");
  // Before anything is read: a misspelt `days` would otherwise open the window every day.
  refuseUnknownKeys(`${argument}.window`, window, ["days", "start", "lengthMinutes"]);
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
  if (typeof w.start !== "string" || !TIME.test(w.start) || w.start > "23:30")
    throw new MinosError(
      `${argument}.window.start`,
      w.start,
      'use "HH:MM" (24 h, UTC) from "00:00" to "23:30"',
    );
  const length = w.lengthMinutes;
  // Within its day: a window past midnight would open on a day not listed.
  const [hours, minutes] = w.start.split(":").map(Number) as [number, number];
  const most = DAY_MINUTES - (hours * 60 + minutes);
  if (typeof length !== "number" || !Number.isInteger(length) || length < 30 || length > most)
    throw new MinosError(
      `${argument}.window.lengthMinutes`,
      length,
      `use whole minutes from 30 to ${most} (the window ends by midnight UTC)`,
    );
  // Week order, so the same window renders the same bytes however it was written.
  const ordered = WEEKDAYS.filter((d) => (days as string[]).includes(d));
  return { mode, window: { days: ordered, start: w.start, lengthMinutes: length } };
}
