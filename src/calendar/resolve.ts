/**
 * Resolving a calendar for one account before a run: its time zone and its holiday dates.
 * Uses the `date-holidays` library, so it is NOT workflow-safe and must not be imported by
 * the pure calendar modules; the library is loaded on first use so commands that never
 * resolve holidays do not pay for it.
 */
import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import type { AccountData, CalendarIr, IrProgram } from '../ir/types.js';
import { validateCalendar } from './calendar-rules.js';
import { formatDate, parseDate } from './civil-date.js';
import { defaultCalendar } from './default-calendar.js';
import type { ResolvedCalendar } from './types.js';
import { DAY_MS, HOUR_MS, isValidTimeZone } from './zone-time.js';

export { isValidTimeZone };

const HOLIDAY_CODE_PATTERN = /^[A-Z]{2}(?:-[A-Z0-9]+){0,2}$/;
const FALLBACK_ZONE = 'UTC';

/**
 * The calendar `cal` for `account`, with public holidays for the years `from`–`to`
 * (inclusive) of every country in `holidayCountries` and of the code each `holidaySources`
 * line picks for the account (see `pickHolidayCode`), plus its explicit holiday lines. The
 * time zone is the first of `cal.timezone` that names a valid zone (an account field holding
 * one, or a zone name), else UTC. A null `cal` gives `defaultCalendar`. Holidays outside the
 * years are not known, so the years must cover the run. Throws an Error naming the problem
 * for an unknown holiday country, an account field holding something that is not a holiday
 * code, or a calendar that cannot be used (see `validateCalendar`).
 */
export function resolveCalendar(cal: CalendarIr | null, account: AccountData, years: { from: number; to: number }): ResolvedCalendar {
  if (cal === null) return defaultCalendar;
  if (!Number.isInteger(years.from) || !Number.isInteger(years.to) || years.from > years.to) {
    throw new RangeError(`holiday years must be whole numbers, from <= to; got ${years.from} to ${years.to}`);
  }
  const timezone = pickTimeZone(cal.timezone, account);
  const codes = [...cal.holidayCountries];
  for (const sources of cal.holidaySources ?? []) {
    const code = pickHolidayCode(cal, sources, account);
    if (code !== null) codes.push(code);
  }
  let byZoneAndYears = resolvedByCalendar.get(cal);
  if (!byZoneAndYears) {
    byZoneAndYears = new Map();
    resolvedByCalendar.set(cal, byZoneAndYears);
  }
  const key = `${timezone} ${years.from} ${years.to} ${codes.join(' ')}`;
  let resolved = byZoneAndYears.get(key);
  if (!resolved) {
    resolved = resolve(cal, timezone, codes, years);
    byZoneAndYears.set(key, resolved);
  }
  return resolved;
}

/**
 * Calendars resolved so far, by IR calendar, then time zone, years and holiday codes: all
 * accounts of a run in one zone and region share one calendar object, so the arithmetic
 * derives its rules once for them (it caches them per object). Shared objects are frozen:
 * calendars are never changed.
 */
const resolvedByCalendar = new WeakMap<CalendarIr, Map<string, ResolvedCalendar>>();

function resolve(cal: CalendarIr, timezone: string, codes: string[], years: { from: number; to: number }): ResolvedCalendar {
  const dates = new Set(cal.holidays.map((h) => h.date));
  for (const code of codes) {
    if (!knownCountry(code)) throw new Error(`calendar ${cal.id}: unknown holiday country "${code}"`);
    for (let year = years.from; year <= years.to; year++) {
      for (const date of publicHolidays(code, year)) dates.add(date);
    }
  }
  const resolved: ResolvedCalendar = {
    id: cal.id,
    timezone,
    workingDays: [...cal.workingDays],
    workingHours: cal.workingHours ? { ...cal.workingHours } : null,
    holidays: [...dates].sort(),
  };
  validateCalendar(resolved);
  Object.freeze(resolved.workingDays);
  Object.freeze(resolved.workingHours);
  Object.freeze(resolved.holidays);
  return Object.freeze(resolved);
}

/**
 * The holiday code of one `holidays account.<field> or "<code>"` line for `account`: the
 * first source with a value. A field without a value (missing, null or empty) passes to the
 * next source; a field holding anything but a known code (in any letter case: "de-by" is
 * "DE-BY") is an Error naming the field and its value, never a silent fallback, since the
 * account would otherwise be counted in another country's holidays. Null when no source has a
 * value: the line adds no holidays.
 */
function pickHolidayCode(cal: CalendarIr, sources: NonNullable<CalendarIr['holidaySources']>[number], account: AccountData): string | null {
  for (const source of sources) {
    if ('code' in source) return source.code;
    const value = account[source.field];
    if (value === undefined || value === null || value === '') continue;
    const code = typeof value === 'string' ? value.toUpperCase() : null;
    if (code === null || !knownCountry(code)) {
      throw new Error(
        `calendar ${cal.id}: account.${source.field} is ${JSON.stringify(value)}, not a holiday country or region code (such as "US", "GB-ENG" or "DE-BY")`,
      );
    }
    return code;
  }
  return null;
}

/** Answers of `knownCountry`: the library builds its lists of names on every question. */
const knownCountryByCode = new Map<string, boolean>();

/**
 * True for a holiday code the library knows: an upper-case ISO country code, optionally with
 * a state and a region (`US`, `US-CA`, `DE-BY`, `US-CA-LA`).
 */
export function knownCountry(code: string): boolean {
  if (!HOLIDAY_CODE_PATTERN.test(code)) return false;
  let known = knownCountryByCode.get(code);
  if (known === undefined) {
    known = libraryKnows(code);
    knownCountryByCode.set(code, known);
  }
  return known;
}

function libraryKnows(code: string): boolean {
  const [country = '', state, region] = code.split('-');
  const library = holidayLibrary();
  if (!(country in library.getCountries())) return false;
  if (state !== undefined && !(state in (library.getStates(country) ?? {}))) return false;
  return region === undefined || region in (library.getRegions(country, state as string) ?? {});
}

/**
 * The time zone `cal` counts in for `account`: the first of its `timezone` sources that names
 * a valid zone, else UTC (the default calendar's too). For no account in particular (`{}`)
 * that is the first zone name the line gives (`account.timezone or "America/New_York"`: New York).
 */
export function calendarZone(cal: CalendarIr | null, account: AccountData): string {
  return cal === null ? defaultCalendar.timezone : pickTimeZone(cal.timezone, account);
}

function pickTimeZone(sources: CalendarIr['timezone'], account: AccountData): string {
  for (const source of sources) {
    const zone = 'field' in source ? account[source.field] : source.zone;
    if (typeof zone === 'string' && isValidTimeZone(zone)) return zone;
  }
  return FALLBACK_ZONE;
}

const holidaysByCodeAndYear = new Map<string, string[]>();

/**
 * Local dates of the public holidays of `code` in `year`. Substitute days count, also where
 * the library types them `bank` (US 2028: Veterans Day falls on Saturday 11-11, so Friday
 * 11-10 is observed). A holiday lasting several days counts every day it touches (Korea's
 * Chuseok 2026: 09-24 to 09-26), and one that starts part-way through a day still makes the
 * whole date a holiday.
 */
function publicHolidays(code: string, year: number): string[] {
  const key = `${code}:${year}`;
  let dates = holidaysByCodeAndYear.get(key);
  if (!dates) {
    const Library = holidayLibraryClass();
    dates = [];
    for (const h of new Library(code, { types: ['public', 'bank'] }).getHolidays(year)) {
      if (h.type !== 'public' && !h.substitute) continue;
      // `date` is "YYYY-MM-DD hh:mm:ss[ ±hhmm]" in the country's own local calendar.
      const first = parseDate(h.date.slice(0, 10)) as number;
      for (let day = 0; day < spannedDays(h); day++) dates.push(formatDate(first + day));
    }
    holidaysByCodeAndYear.set(key, dates);
  }
  return dates;
}

/**
 * Dates a holiday touches, from its length: at least one, and a length a daylight-saving
 * change made an hour longer or shorter still counts its whole days (71 h and 73 h are 3).
 */
function spannedDays(h: { start: Date; end: Date }): number {
  return Math.max(1, Math.ceil((h.end.getTime() - h.start.getTime() - HOUR_MS) / DAY_MS));
}

let libraryClass: typeof Holidays | undefined;
let libraryInstance: Holidays | undefined;

function holidayLibraryClass(): typeof Holidays {
  libraryClass ??= createRequire(import.meta.url)('date-holidays') as typeof Holidays;
  return libraryClass;
}

/** An instance without a country, for the lists of known countries, states and regions. */
function holidayLibrary(): Holidays {
  libraryInstance ??= new (holidayLibraryClass())();
  return libraryInstance;
}

/** Holidays are resolved from the year before a run's start to three years after: a run's horizon. */
const HORIZON = { yearsBefore: 1, yearsAfter: 3 };

/** Every calendar of `program`, resolved for `account` over the horizon of a run starting at `start` (epoch ms). */
export function resolveProgramCalendars(program: IrProgram, account: AccountData, start: number): Record<string, ResolvedCalendar> {
  const year = new Date(start).getUTCFullYear();
  const years = { from: year - HORIZON.yearsBefore, to: year + HORIZON.yearsAfter };
  return Object.fromEntries(Object.entries(program.calendars).map(([id, cal]) => [id, resolveCalendar(cal, account, years)]));
}
