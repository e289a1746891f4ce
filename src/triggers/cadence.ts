/**
 * When a cadence trigger (`every quarter on first business day`) fires: its periods and the
 * day of each period it fires on, in an account's calendar. Periods are counted from fixed
 * origins so they never drift with deploys or restarts: months and quarters from January
 * 1970 (quarters are Jan/Apr/Jul/Oct, `every 2 months` is Jan/Mar/May/…), weeks from Monday
 * 1969-12-29 (`every 2 weeks` is every other ISO week, the same for every account). Pure and
 * workflow-safe.
 */
import { dateToInstant, isWorkingDay, localDate, type ResolvedCalendar } from '../calendar/index.js';
import { addMonths, dayNumberOf, daysInMonth, formatDate, isoWeekday, MONDAY_EPOCH_DAY, parseDate } from '../calendar/civil-date.js';
import type { CadenceDayIr, CadenceIr } from '../ir/types.js';

/** One firing of a cadence: the local date of its day and the instant it fires at. */
export interface Occurrence {
  /** The period's number since the origin. */
  period: number;
  /** `YYYY-MM-DD` in the calendar's zone. */
  date: string;
  /** Epoch ms: the start of working hours that day (local midnight without hours). */
  fireAt: number;
}

/** The period that the local date of `now` falls in. */
export function periodAt(now: number, period: CadenceIr, calendar: ResolvedCalendar): number {
  const day = parseDate(localDate(now, calendar))!;
  if (period.unit === 'week') return Math.floor((day - MONDAY_EPOCH_DAY) / (7 * period.amount));
  const [year, month] = formatDate(day).split('-').map(Number) as [number, number];
  return Math.floor(((year - 1970) * 12 + month - 1) / monthsPer(period));
}

/** The occurrence of period number `index`. */
export function occurrence(index: number, period: CadenceIr, on: CadenceDayIr, calendar: ResolvedCalendar): Occurrence {
  const first = periodStart(index, period);
  const end = periodStart(index + 1, period);
  let day = first;
  if (on.kind === 'firstBusinessDay') {
    // A period without a single working day fires on its first day.
    while (day < end && !isWorkingDay(formatDate(day), calendar)) day++;
    if (day === end) day = first;
  } else if (on.kind === 'weekday') {
    while (isoWeekday(day) !== on.weekday) day++;
  } else {
    const [year, month] = formatDate(first).split('-').map(Number) as [number, number];
    day = dayNumberOf(year, month, Math.min(on.day, daysInMonth(year, month)));
  }
  const date = formatDate(day);
  return { period: index, date, fireAt: dateToInstant(date, calendar) };
}

/**
 * The occurrence a cadence is due for at `now`: that of the current period while it has not
 * fired (already past: it fires at once, the one catch-up), else the next period's.
 */
export function dueOccurrence(now: number, period: CadenceIr, on: CadenceDayIr, calendar: ResolvedCalendar, fired: (date: string) => boolean): Occurrence {
  const current = occurrence(periodAt(now, period, calendar), period, on, calendar);
  return fired(current.date) ? occurrence(current.period + 1, period, on, calendar) : current;
}

function periodStart(index: number, period: CadenceIr): number {
  if (period.unit === 'week') return MONDAY_EPOCH_DAY + index * 7 * period.amount;
  return addMonths(dayNumberOf(1970, 1, 1), index * monthsPer(period));
}

function monthsPer(period: CadenceIr): number {
  return period.amount * (period.unit === 'quarter' ? 3 : 1);
}
