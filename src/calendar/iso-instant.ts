/** Strict ISO-8601 instants, as given on the command line and in scenario files. */
import { dayNumberOf, daysInMonth } from './civil-date.js';
import type { Instant } from './types.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './zone-time.js';

const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * `YYYY-MM-DDTHH:MM[:SS[.fraction]]` followed by `Z` or a `±hh:mm` offset, as an instant; null
 * for anything else (no offset, a date alone, lowercase `t`/`z`, out-of-range fields).
 * Fractions finer than a millisecond are truncated.
 */
export function parseInstant(iso: string): Instant | null {
  const m = INSTANT_PATTERN.exec(iso);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', fraction = '0', zulu, sign, oh = '0', om = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const millisecond = Number(fraction.padEnd(3, '0').slice(0, 3));
  const offset = zulu ? 0 : (sign === '-' ? -1 : 1) * (offsetHours * HOUR_MS + offsetMinutes * MINUTE_MS);
  return dayNumberOf(year, month, day) * DAY_MS + hour * HOUR_MS + minute * MINUTE_MS + second * 1000 + millisecond - offset;
}

/**
 * A period's bound as the CLI and the API take it: a date `YYYY-MM-DD` (its start, UTC) or
 * an instant as `parseInstant` takes it; null for anything else.
 */
export function parseDateOrInstant(text: string): Date | null {
  const instant = parseInstant(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  return instant === null ? null : new Date(instant);
}
