/**
 * A calendar ready for arithmetic: the IR's `CalendarIr` with its time zone chosen for one
 * account and its countries' public holidays resolved into plain dates. Resolution happens
 * before a run starts (it needs the holiday library); everything that uses a
 * `ResolvedCalendar` is pure and safe inside a Temporal workflow.
 */
export interface ResolvedCalendar {
  /** Calendar id, or null for the default calendar (Mon–Fri, UTC, no holidays). */
  id: string | null;
  /** IANA time zone name. */
  timezone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** `HH:MM` local times; null means working days have no hours (00:00–24:00). */
  workingHours: { from: string; to: string } | null;
  /** Sorted `YYYY-MM-DD` local dates that are not working days. */
  holidays: string[];
}

/** A point in time: milliseconds since the Unix epoch (UTC). */
export type Instant = number;
