/**
 * Conversion between instants and local wall-clock time in an IANA zone. Offsets come from
 * luxon's IANAZone (the platform's tz data). Local time is turned into an instant here rather
 * than by luxon's own conversion from date parts, because luxon seeds that with the current
 * wall clock, which would make ambiguous local times depend on when the code runs.
 */
import { IANAZone } from 'luxon';
import type { Instant } from './types.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A local wall-clock time: its local day number and milliseconds since local midnight. */
export interface LocalTime {
  day: number;
  ms: number;
}

/**
 * Zones known to be valid: the platform's list of canonical zones, then every other name
 * Intl accepted (links such as `US/Eastern`, other spellings). Asking Intl costs tens of
 * microseconds, and every account of a run asks again (account checks, calendar resolution,
 * calendar rules); the first ask of a process costs ~15 ms (its locale data), which the list
 * spares the usual zone names. Valid names are few, so they are kept; invalid ones are not.
 */
let validZones: Set<string> | undefined;

/** True when `name` is a time zone the platform knows (IANA names and links, e.g. `Europe/Berlin`). */
export function isValidTimeZone(name: string): boolean {
  validZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (validZones.has(name)) return true;
  if (name.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    return false;
  }
  validZones.add(name);
  return true;
}

export function toLocal(t: Instant, zone: string): LocalTime {
  const local = t + offsetMinutes(t, zone) * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  return { day, ms: local - day * DAY_MS };
}

/**
 * The instant of a local wall-clock time (`ms` may reach past midnight, e.g. 24:00). A time
 * repeated when clocks go back is its first occurrence; a time skipped when clocks go forward
 * moves forward by the length of the gap (02:30 on a spring-forward night becomes 03:30),
 * as luxon does.
 */
export function fromLocal(day: number, ms: number, zone: string): Instant {
  const local = day * DAY_MS + ms;
  // Real zones change their offset at most once within a few days, so the offsets a day
  // either side are the only candidates.
  const before = offsetMinutes(local - DAY_MS, zone);
  const after = offsetMinutes(local + DAY_MS, zone);
  const withBefore = local - before * MINUTE_MS;
  if (before === after) return withBefore;
  const withAfter = local - after * MINUTE_MS;
  const beforeFits = offsetMinutes(withBefore, zone) === before;
  const afterFits = offsetMinutes(withAfter, zone) === after;
  if (beforeFits && afterFits) return Math.min(withBefore, withAfter);
  if (afterFits) return withAfter;
  // Either only the old offset fits, or neither does (a gap): the old offset moves forward.
  return withBefore;
}

/**
 * Offsets per zone and UTC day. A day whose offset is the same at its first and last second
 * has no change inside it (zones never change and change back within a day) and is cached;
 * a day with a change is looked up every time.
 */
const offsetCache = new Map<string, { zone: IANAZone; byUtcDay: Map<number, number | null> }>();

function offsetMinutes(t: Instant, zoneName: string): number {
  let entry = offsetCache.get(zoneName);
  if (!entry) {
    entry = { zone: IANAZone.create(zoneName), byUtcDay: new Map() };
    offsetCache.set(zoneName, entry);
  }
  const utcDay = Math.floor(t / DAY_MS);
  const cached = entry.byUtcDay.get(utcDay);
  if (typeof cached === 'number') return cached;
  if (cached === null) return entry.zone.offset(t);
  const start = utcDay * DAY_MS;
  const first = entry.zone.offset(start);
  const last = entry.zone.offset(start + DAY_MS - 1000);
  entry.byUtcDay.set(utcDay, first === last ? first : null);
  return first === last ? first : entry.zone.offset(t);
}
