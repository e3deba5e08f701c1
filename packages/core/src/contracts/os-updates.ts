/** Days of the week, spelled as Zincati, kured and Flatcar's tools all read them. */
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly window, in UTC, when nodes may reboot into an OS update. */
export interface RebootWindow {
  /** Days the window opens on. */
  days: Weekday[];
  /** When it opens, `HH:MM` (24 h, UTC). */
  start: string;
  /** How long it stays open, in minutes; it closes by midnight. */
  lengthMinutes: number;
}

/**
 * How the OS's own updates reach a cluster's nodes, whatever the OS.
 * `coordinated`: every node may update, one at a time, drained first, so no
 * two control-plane nodes are ever down together. `off`: the OS never
 * updates or reboots on its own; updates are the operator's.
 */
export interface OsUpdates {
  mode: "coordinated" | "off";
  /** Reboots only inside this window. Absent: any time. */
  window?: RebootWindow;
}

/** What a cluster is told about OS updates; see `OsUpdates`. */
export interface OsUpdatesArgs {
  /** `coordinated` or `off`. Default `coordinated`. */
  mode?: "coordinated" | "off";
  /**
   * Reboot only inside this weekly UTC window (`days` default every day).
   * Where the OS's coordinator cannot keep both a window and one node at a
   * time (Fedora CoreOS's Zincati), the cluster refuses it. Default none.
   */
  window?: { days?: Weekday[]; start: string; lengthMinutes: number };
}

/** The default: coordinated, any time. */
export const COORDINATED_UPDATES: OsUpdates = { mode: "coordinated" };
