/**
 * Business-time arithmetic in a calendar's time zone. Pure and deterministic (no clock, no
 * I/O), so the Temporal workflow can run it. Dates are `YYYY-MM-DD` strings, instants are
 * epoch milliseconds; invalid dates, windows or amounts throw a RangeError (the checker and
 * account validation keep them out, so a throw here is a programming error).
 */
import type { DurationIr, DurationUnit } from '../ir/types.js';
import { addMonths, formatDate, parseDate } from './civil-date.js';
import { countWorkingDays, isWorkingDayNumber, nearestWorkingDay, parseClock, rulesOf, type CalendarRules } from './calendar-rules.js';
import type { Instant, ResolvedCalendar } from './types.js';
import { HOUR_MS, MINUTE_MS, fromLocal, toLocal } from './zone-time.js';

export type Direction = 'before' | 'after';

/** Units that move a date to another date. */
export type DateUnit = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'business day';

const MONTHS_PER_UNIT = { month: 1, quarter: 3, year: 12 } as const;

export interface DateDuration {
  amount: number;
  unit: DateUnit;
}

export function isDateUnit(unit: DurationUnit): unit is DateUnit {
  return unit === 'day' || unit === 'week' || unit === 'month' || unit === 'quarter' || unit === 'year' || unit === 'business day';
}

/**
 * `t` plus a duration. Minutes and hours are elapsed time. Days and weeks are calendar days
 * keeping the local time of day; months, quarters and years are calendar months keeping the
 * local time of day, the day of month clamped to the target month's last day. Business days step over non-working days and holidays,
 * keeping the local time of day; starting on a non-working day, the next working day is the
 * first one counted (Saturday + 1 business day = Monday). Business hours consume working
 * hours, starting at the next opening when `t` is outside them. An amount of 0 gives `t`.
 */
export function addDuration(t: Instant, d: DurationIr, cal: ResolvedCalendar): Instant {
  return shiftInstant(t, d, 1, cal);
}

/** `t` minus a duration: the mirror image of `addDuration` (business time counted backwards). */
export function subtractDuration(t: Instant, d: DurationIr, cal: ResolvedCalendar): Instant {
  return shiftInstant(t, d, -1, cal);
}

/**
 * `N days|weeks|months|quarters|years|business days before|after <date>` as a date. Months
 * clamp the day of month (2027-01-31 + 1 month = 2027-02-28; 2027-03-31 - 1 month =
 * 2027-02-28). Business days count working days that are not holidays, backwards for `before`. Minutes and hours on a date are not
 * dates: apply them to `dateToInstant(date)` with `addDuration`/`subtractDuration`.
 */
export function shiftDate(date: string, d: DateDuration, direction: Direction, cal: ResolvedCalendar): string {
  const amount = wholeAmount(d);
  return formatDate(shiftDay(dayOf(date), amount, d.unit, direction === 'after' ? 1 : -1, rulesOf(cal)));
}

/**
 * A date used as an instant: the start of working hours on that day in the calendar's zone,
 * or local midnight without working hours, whether or not the day is a working day.
 */
export function dateToInstant(date: string, cal: ResolvedCalendar): Instant {
  const rules = rulesOf(cal);
  return fromLocal(dayOf(date), rules.openMs, rules.zone);
}

/** The calendar's local date at `t`. */
export function localDate(t: Instant, cal: ResolvedCalendar): string {
  return formatDate(toLocal(t, rulesOf(cal).zone).day);
}

/** True for a working weekday of the calendar that is not one of its holidays. */
export function isWorkingDay(date: string, cal: ResolvedCalendar): boolean {
  return isWorkingDayNumber(dayOf(date), rulesOf(cal));
}

/**
 * When a message due at `t` may go out: `t` itself when it is inside the window of its local
 * day (a working day), the window's opening when `t` is earlier that day, otherwise the
 * opening on the next working day. The window of a day runs between the instants of its
 * local `from` and `to` (see `fromLocal`: a time repeated when clocks go back is its first
 * occurrence, a skipped one moves forward), so the result is never earlier than `t`.
 * `wallClock` keeps the comparison of local times that runs recorded before the
 * `send-window-instants` patch used: inside the hour repeated when clocks go back it could
 * answer an opening earlier than `t`.
 */
export function nextWindowOpening(t: Instant, window: { from: string; to: string }, cal: ResolvedCalendar, wallClock = false): Instant {
  const from = parseClock(window.from);
  const to = parseClock(window.to);
  if (from === null || to === null || from >= to) {
    throw new RangeError(`send window "${window.from}" to "${window.to}" must be two HH:MM times, the first earlier`);
  }
  const rules = rulesOf(cal);
  const local = toLocal(t, rules.zone);
  if (isWorkingDayNumber(local.day, rules)) {
    if (wallClock) {
      if (local.ms < to) return local.ms >= from ? t : fromLocal(local.day, from, rules.zone);
    } else if (t < fromLocal(local.day, to, rules.zone)) {
      return Math.max(t, fromLocal(local.day, from, rules.zone));
    }
  }
  return fromLocal(nearestWorkingDay(local.day + 1, 1, rules), from, rules.zone);
}

/**
 * The first start of working hours strictly after `t` (local midnight without working hours)
 * on a working day that is not a holiday: when a daily message of working days goes out.
 */
export function nextWorkdayStart(t: Instant, cal: ResolvedCalendar): Instant {
  const rules = rulesOf(cal);
  let day = toLocal(t, rules.zone).day;
  if (!isWorkingDayNumber(day, rules) || fromLocal(day, rules.openMs, rules.zone) <= t) day = nearestWorkingDay(day + 1, 1, rules);
  return fromLocal(day, rules.openMs, rules.zone);
}

/** The last start of working hours strictly before `t` on a working day: `nextWorkdayStart`'s counterpart. */
export function previousWorkdayStart(t: Instant, cal: ResolvedCalendar): Instant {
  const rules = rulesOf(cal);
  let day = toLocal(t, rules.zone).day;
  if (!isWorkingDayNumber(day, rules) || fromLocal(day, rules.openMs, rules.zone) >= t) day = nearestWorkingDay(day - 1, -1, rules);
  return fromLocal(day, rules.openMs, rules.zone);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayOf(to) - dayOf(from);
}

/**
 * `business days since <date>` at `t`: working days strictly after `date` up to and including
 * the local date of `t`. For a `date` after that local date it is negative: minus the working
 * days strictly after the local date up to and including `date`.
 */
export function businessDaysSince(date: string, t: Instant, cal: ResolvedCalendar): number {
  const rules = rulesOf(cal);
  const since = dayOf(date);
  const today = toLocal(t, rules.zone).day;
  return since <= today ? countWorkingDays(since, today, rules) : -countWorkingDays(today, since, rules);
}

/**
 * The working time between two instants, in milliseconds (negative when `to` is earlier): the
 * parts of `[from, to]` inside working hours of working days. Without working hours a working
 * day counts whole.
 */
export function businessTimeBetween(from: Instant, to: Instant, cal: ResolvedCalendar): number {
  if (to < from) return -businessTimeBetween(to, from, cal);
  const rules = rulesOf(cal);
  let total = 0;
  const last = toLocal(to, rules.zone).day;
  for (let day = toLocal(from, rules.zone).day; day <= last; day++) {
    if (!isWorkingDayNumber(day, rules)) continue;
    const start = Math.max(from, fromLocal(day, rules.openMs, rules.zone));
    const end = Math.min(to, fromLocal(day, rules.closeMs, rules.zone));
    if (end > start) total += end - start;
  }
  return total;
}

/** The working time of one working day, in milliseconds. */
export function workingDayLength(cal: ResolvedCalendar): number {
  const rules = rulesOf(cal);
  return rules.closeMs - rules.openMs;
}

function shiftInstant(t: Instant, d: DurationIr, sign: 1 | -1, cal: ResolvedCalendar): Instant {
  switch (d.unit) {
    case 'minute':
      return t + sign * Math.round(finiteAmount(d) * MINUTE_MS);
    case 'hour':
      return t + sign * Math.round(finiteAmount(d) * HOUR_MS);
    case 'business hour': {
      const ms = Math.round(finiteAmount(d) * HOUR_MS);
      return ms === 0 ? t : shiftBusinessTime(t, ms, sign, rulesOf(cal));
    }
    case 'day':
    case 'week':
    case 'month':
    case 'quarter':
    case 'year':
    case 'business day': {
      const amount = wholeAmount(d);
      const rules = rulesOf(cal);
      const local = toLocal(t, rules.zone);
      return amount === 0 ? t : fromLocal(shiftDay(local.day, amount, d.unit, sign, rules), local.ms, rules.zone);
    }
  }
}

function shiftDay(day: number, amount: number, unit: DateUnit, sign: 1 | -1, rules: CalendarRules): number {
  if (unit === 'day') return day + sign * amount;
  if (unit === 'week') return day + sign * amount * 7;
  if (unit !== 'business day') return addMonths(day, sign * amount * MONTHS_PER_UNIT[unit]);
  let result = day;
  for (let counted = 0; counted < amount; counted++) result = nearestWorkingDay(result + sign, sign, rules);
  return result;
}

/** Consumes `ms` of working time from `t`, forwards or backwards, day by working day. */
function shiftBusinessTime(t: Instant, ms: number, sign: 1 | -1, rules: CalendarRules): Instant {
  let remaining = ms;
  let day = nearestWorkingDay(toLocal(t, rules.zone).day, sign, rules);
  for (;;) {
    const open = fromLocal(day, rules.openMs, rules.zone);
    const close = fromLocal(day, rules.closeMs, rules.zone);
    // The part of this working day on the far side of t in the direction of travel.
    const start = sign === 1 ? Math.max(t, open) : open;
    const end = sign === 1 ? close : Math.min(t, close);
    const available = end - start;
    if (available > 0) {
      if (remaining <= available) return sign === 1 ? start + remaining : end - remaining;
      remaining -= available;
    }
    day = nearestWorkingDay(day + sign, sign, rules);
  }
}

function dayOf(date: string): number {
  const day = parseDate(date);
  if (day === null) throw new RangeError(`"${date}" is not a valid YYYY-MM-DD date`);
  return day;
}

function finiteAmount(d: DurationIr): number {
  if (!Number.isFinite(d.amount) || d.amount < 0) throw new RangeError(`duration amount must be a non-negative number, got ${d.amount} ${d.unit}`);
  return d.amount;
}

/** Day-based units move whole days; a fraction of a day has no meaning here. */
function wholeAmount(d: DurationIr): number {
  const amount = finiteAmount(d);
  if (!Number.isInteger(amount)) throw new RangeError(`${d.unit}s must be a whole number, got ${amount}`);
  return amount;
}
