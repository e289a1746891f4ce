/**
 * Instants as people read them: in a calendar's zone (the human-readable timeline, run status)
 * or in UTC (tables of runs, triggers, deployments and emails). Pure and workflow-safe.
 */
import { DateTime } from 'luxon';
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
