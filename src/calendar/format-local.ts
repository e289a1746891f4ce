/**
 * Instants as people read them: in a calendar's zone (the human-readable timeline, run status)
 * or in UTC (tables of runs, triggers, deployments and emails), and due times in working time. Pure and workflow-safe.
 */
import { DateTime } from 'luxon';
import { businessDaysSince, businessTimeBetween, localDate, workingDayLength } from './business-time.js';
import type { Instant, ResolvedCalendar } from './types.js';

/**
 * `Mon 2026-01-05 09:00 EST`: weekday, local date and time, and the zone's short name in
 * English (zones without a common abbreviation show their offset, e.g. `GMT+5:30`).
 */
export function formatLocal(t: Instant, cal: ResolvedCalendar): string {
  return DateTime.fromMillis(t, { zone: cal.timezone, locale: 'en-US' }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ');
}

/** `2026-01-05 14:00Z`, or `2026-01-05 14:00:00Z` to the second. */
export function formatUtc(t: Instant, precision: 'minutes' | 'seconds' = 'minutes'): string {
  return `${new Date(t)
    .toISOString()
    .slice(0, precision === 'seconds' ? 19 : 16)
    .replace('T', ' ')}Z`;
}

/** Where a due instant falls from now, for grouping a task list: passed, later today, before the week ends, after. */
export type DueGroup = 'overdue' | 'today' | 'week' | 'later';

export interface DueTime {
  group: DueGroup;
  /** `due in 3 business hours`, `overdue by 2 business days`, in the calendar's working time. */
  text: string;
}

/**
 * A due instant as a person reads it at `now`: counted in working time of the calendar (the
 * account's), in business days from a working day's worth on, in business hours below it.
 */
export function formatDue(due: Instant, now: Instant, cal: ResolvedCalendar): DueTime {
  const overdue = due < now;
  const [earlier, later] = overdue ? [due, now] : [now, due];
  const gap = businessTimeBetween(earlier, later, cal);
  let amount: string;
  if (gap >= workingDayLength(cal)) {
    amount = plural(Math.max(1, businessDaysSince(localDate(earlier, cal), later, cal)), 'business day');
  } else {
    const hours = Math.round(gap / 3_600_000);
    amount = hours < 1 ? 'less than a business hour' : plural(hours, 'business hour');
  }
  return { group: overdue ? 'overdue' : groupOf(due, now, cal), text: overdue ? `overdue by ${amount}` : `due in ${amount}` };
}

function groupOf(due: Instant, now: Instant, cal: ResolvedCalendar): DueGroup {
  if (localDate(due, cal) === localDate(now, cal)) return 'today';
  // Luxon's weeks are ISO weeks: Monday to Sunday.
  const weekEnd = DateTime.fromMillis(now, { zone: cal.timezone }).endOf('week').toMillis();
  return due <= weekEnd ? 'week' : 'later';
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
