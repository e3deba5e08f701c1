import { describe, expect, it } from "vitest";
import { KURED_IMAGE, kuredArgs } from "../src/index.js";

/**
 * kured 1.23.0's flags that minos sets, and how kured parses each
 * (kubereboot/kured cmd/kured/main.go, pkg/timewindow).
 */
const KURED_FLAGS: Record<string, (value: string) => boolean> = {
  "reboot-sentinel": (v) => v.startsWith("/"),
  "ds-name": (v) => /^[a-z0-9-]+$/.test(v),
  "ds-namespace": (v) => /^[a-z0-9-]+$/.test(v),
  concurrency: (v) => /^[1-9]\d*$/.test(v),
  // Go's time.ParseDuration.
  period: (v) => /^(\d+(ns|us|ms|s|m|h))+$/.test(v),
  "lock-release-delay": (v) => /^(\d+(ns|us|ms|s|m|h))+$/.test(v),
  // timewindow.dayStrings, comma-separated.
  "reboot-days": (v) =>
    v
      .split(",")
      .every((d) =>
        /^(su|sun|sunday|mo|mon|monday|tu|tue|tuesday|we|wed|wednesday|th|thu|thursday|fr|fri|friday|sa|sat|saturday)$/.test(
          d,
        ),
      ),
  // timewindow.parseTime's first formats: 15:04 and 15:04:05.
  "start-time": (v) => /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(v),
  "end-time": (v) => /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/.test(v),
  "time-zone": (v) => v === "UTC",
};

function parseFlags(args: string[]): Record<string, string> {
  return Object.fromEntries(
    args.map((a) => {
      const m = /^--([a-z-]+)=(.*)$/.exec(a);
      if (!m) throw new Error(`not a --flag=value: ${a}`);
      return [m[1] as string, m[2] as string];
    }),
  );
}

describe("kured's flags, as kured 1.23.0 reads them", () => {
  it.each([
    ["any time", undefined],
    ["a weekend window", { days: ["Sat", "Sun"] as const, start: "02:00", lengthMinutes: 180 }],
    ["a window to midnight", { days: ["Mon"] as const, start: "22:30", lengthMinutes: 90 }],
  ])("%s", (_what, window) => {
    const flags = parseFlags(kuredArgs(window && { ...window, days: [...window.days] }));
    for (const [flag, value] of Object.entries(flags)) {
      expect(KURED_FLAGS[flag], `kured has no --${flag}`).toBeDefined();
      expect(KURED_FLAGS[flag]?.(value), `--${flag}=${value}`).toBe(true);
    }
    // One node of the whole cluster at a time, and a pause once it is back.
    expect(flags).toMatchObject({
      concurrency: "1",
      "lock-release-delay": "5m",
      "ds-name": "kured",
    });
    if (!window) expect(flags["reboot-days"]).toBeUndefined();
  });

  it("turns a window into kured's days and hours", () => {
    expect(
      parseFlags(kuredArgs({ days: ["Sat", "Sun"], start: "02:00", lengthMinutes: 180 })),
    ).toMatchObject({
      "reboot-days": "sat,sun",
      "start-time": "02:00",
      "end-time": "05:00",
    });
    expect(
      parseFlags(kuredArgs({ days: ["Mon"], start: "22:30", lengthMinutes: 90 }))["end-time"],
    ).toBe("23:59:59");
  });

  it("pins a kured release by tag", () => {
    expect(KURED_IMAGE).toMatch(/^ghcr\.io\/kubereboot\/kured:\d+\.\d+\.\d+$/);
  });
});
