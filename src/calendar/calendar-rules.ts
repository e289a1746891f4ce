/**
 * A ResolvedCalendar turned into the shape the arithmetic needs: working weekdays as a table,
 * working hours in milliseconds, holidays as a Set of day numbers. Built and validated once
 * per calendar object (calendars are treated as immutable).
 */
import { MONDAY_EPOCH_DAY, formatDate, isoWeekday, mod, parseDate } from './civil-date.js';
import type { ResolvedCalendar } from './types.js';
import { DAY_MS, MINUTE_MS, isValidTimeZone } from './zone-time.js';

export interface CalendarRules {
  zone: string;
  /** Indexed by ISO weekday (1–7). */
  workingWeekday: boolean[];
  /** Start and end of the working day, ms after local midnight (0 and 24 h without hours). */
  openMs: number;
  closeMs: number;
  holidays: Set<number>;
  /** Sorted day numbers of holidays that fall on working weekdays. */
  weekdayHolidays: number[];
  /** `workingBefore[k]`: working weekdays among the first k days of a week (Monday first). */
  workingBefore: number[];
  /** Longest run of days without a working day: no search for one needs to look further. */
  searchLimit: number;
}

const CLOCK_PATTERN = /^(\d{2}):(\d{2})$/;

/** Milliseconds after midnight of an `HH:MM` time (00:00–24:00), or null when malformed. */
export function parseClock(time: string): number | null {
  const m = CLOCK_PATTERN.exec(time);
  if (!m) return null;
  const hours = Number(m[1]);
  const minutes = Number(m[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return (hours * 60 + minutes) * MINUTE_MS;
}

/**
 * Throws an Error naming the problem when `cal` cannot be used for arithmetic: an unknown
 * time zone, no working days, a weekday outside 1–7, malformed or empty working hours, or a
 * malformed holiday. Run it when a calendar is resolved; the arithmetic runs it too.
 */
export function validateCalendar(cal: ResolvedCalendar): void {
  const name = cal.id === null ? 'the default calendar' : `calendar ${cal.id}`;
  if (!isValidTimeZone(cal.timezone)) throw new Error(`${name}: unknown time zone "${cal.timezone}"`);
  if (cal.workingDays.length === 0) throw new Error(`${name}: has no working days`);
  for (const d of cal.workingDays) {
    if (!Number.isInteger(d) || d < 1 || d > 7) throw new Error(`${name}: working day ${d} is not an ISO weekday (1 = Monday … 7 = Sunday)`);
  }
  if (cal.workingHours) {
    const { from, to } = cal.workingHours;
    const open = parseClock(from);
    const close = parseClock(to);
    if (open === null || close === null) throw new Error(`${name}: working hours "${from}" to "${to}" must be HH:MM times`);
    if (open >= close) throw new Error(`${name}: working hours must end after they start ("${from}" to "${to}")`);
  }
  for (const h of cal.holidays) {
    if (parseDate(h) === null) throw new Error(`${name}: holiday "${h}" is not a valid YYYY-MM-DD date`);
  }
}

const rulesCache = new WeakMap<ResolvedCalendar, CalendarRules>();

export function rulesOf(cal: ResolvedCalendar): CalendarRules {
  const cached = rulesCache.get(cal);
  if (cached) return cached;
  validateCalendar(cal);
  const workingWeekday = Array.from({ length: 8 }, (_, d) => cal.workingDays.includes(d));
  const holidays = new Set(cal.holidays.map((h) => parseDate(h) as number));
  const weekdayHolidays = [...holidays].filter((d) => workingWeekday[isoWeekday(d)]).sort((a, b) => a - b);
  const workingBefore = [0];
  for (let d = 1; d <= 7; d++) workingBefore.push((workingBefore[d - 1] as number) + (workingWeekday[d] ? 1 : 0));
  const hours = cal.workingHours;
  const rules: CalendarRules = {
    zone: cal.timezone,
    workingWeekday,
    openMs: hours ? (parseClock(hours.from) as number) : 0,
    closeMs: hours ? (parseClock(hours.to) as number) : DAY_MS,
    holidays,
    weekdayHolidays,
    workingBefore,
    // Every week has a working weekday, and each holiday can cancel at most one of them.
    searchLimit: 7 * (weekdayHolidays.length + 1),
  };
  rulesCache.set(cal, rules);
  return rules;
}

export function isWorkingDayNumber(day: number, rules: CalendarRules): boolean {
  return rules.workingWeekday[isoWeekday(day)] === true && !rules.holidays.has(day);
}

/** The first working day from `day` on, going forward (`step` 1) or backward (`step` -1). */
export function nearestWorkingDay(day: number, step: 1 | -1, rules: CalendarRules): number {
  for (let i = 0; i <= rules.searchLimit; i++) {
    const candidate = day + i * step;
    if (isWorkingDayNumber(candidate, rules)) return candidate;
  }
  throw new Error(`no working day within ${rules.searchLimit} days of ${formatDate(day)}`);
}

/** Working days (not holidays) in the day range `(after, upTo]`; requires `after <= upTo`. */
export function countWorkingDays(after: number, upTo: number, rules: CalendarRules): number {
  return workingWeekdaysBefore(upTo + 1, rules) - workingWeekdaysBefore(after + 1, rules) - countInRange(rules.weekdayHolidays, after, upTo);
}

/** Working weekdays (holidays included) from the Monday epoch up to, not including, `day`. */
function workingWeekdaysBefore(day: number, rules: CalendarRules): number {
  const offset = day - MONDAY_EPOCH_DAY;
  const weeks = Math.floor(offset / 7);
  const perWeek = rules.workingBefore[7] as number;
  return weeks * perWeek + (rules.workingBefore[mod(offset, 7)] as number);
}

/** Elements of the sorted `days` in `(after, upTo]`. */
function countInRange(days: number[], after: number, upTo: number): number {
  return countAtMost(days, upTo) - countAtMost(days, after);
}

function countAtMost(days: number[], limit: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as number) <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
