/** Instants as people read them in a calendar's zone, for the human-readable timeline. */
import { DateTime } from 'luxon';
import type { Instant, ResolvedCalendar } from './types.js';

/**
 * `Mon 2026-01-05 09:00 EST`: weekday, local date and time, and the zone's short name in
 * English (zones without a common abbreviation show their offset, e.g. `GMT+5:30`).
 */
export function formatLocal(t: Instant, cal: ResolvedCalendar): string {
  return DateTime.fromMillis(t, { zone: cal.timezone, locale: 'en-US' }).toFormat('ccc yyyy-MM-dd HH:mm ZZZZ');
}
