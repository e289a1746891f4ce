import { DateTime } from 'luxon';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseDate } from '../../src/calendar/civil-date.js';
import { fromLocal, isValidTimeZone, toLocal } from '../../src/calendar/zone-time.js';
import { at, iso } from './fixtures.js';

const HOUR = 3_600_000;
const day = (date: string) => parseDate(date) as number;

describe('local time in a zone', () => {
  afterEach(() => vi.useRealTimers());

  it('converts both ways on ordinary days', () => {
    expect(iso(fromLocal(day('2026-01-05'), 9 * HOUR, 'America/New_York'))).toBe('2026-01-05T14:00:00.000Z');
    expect(toLocal(at('2026-01-05T14:00:00Z'), 'America/New_York')).toEqual({ day: day('2026-01-05'), ms: 9 * HOUR });
    expect(toLocal(at('2026-01-05T03:00:00Z'), 'America/New_York')).toEqual({ day: day('2026-01-04'), ms: 22 * HOUR });
  });

  it('handles a half-hour offset (Asia/Kolkata, +05:30)', () => {
    expect(iso(fromLocal(day('2026-01-05'), 0, 'Asia/Kolkata'))).toBe('2026-01-04T18:30:00.000Z');
    expect(toLocal(at('2026-01-04T18:29:00Z'), 'Asia/Kolkata')).toEqual({ day: day('2026-01-04'), ms: 23 * HOUR + 59 * 60_000 });
  });

  it('moves a time skipped by spring-forward ahead by the gap', () => {
    // New York 2026-03-08: 02:00 EST becomes 03:00 EDT.
    expect(iso(fromLocal(day('2026-03-08'), 2.5 * HOUR, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
    expect(iso(fromLocal(day('2026-03-08'), 3 * HOUR, 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    // Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST.
    expect(iso(fromLocal(day('2026-03-29'), 2.5 * HOUR, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the first occurrence of a time repeated by fall-back', () => {
    // New York 2026-11-01: 02:00 EDT becomes 01:00 EST; 01:30 happens at 05:30Z and 06:30Z.
    expect(iso(fromLocal(day('2026-11-01'), 1.5 * HOUR, 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    // Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:30 happens at 00:30Z and 01:30Z.
    expect(iso(fromLocal(day('2026-10-25'), 2.5 * HOUR, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    expect(toLocal(at('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toEqual({ day: day('2026-10-25'), ms: 2.5 * HOUR });
  });

  it('does not depend on the wall clock', () => {
    const ambiguous = () => fromLocal(day('2026-11-01'), 1.5 * HOUR, 'America/New_York');
    vi.useFakeTimers();
    vi.setSystemTime(at('2026-07-01T12:00:00Z'));
    const inSummer = ambiguous();
    vi.setSystemTime(at('2026-12-01T12:00:00Z'));
    expect(ambiguous()).toBe(inSummer);
  });

  it.each(['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Lord_Howe'])('agrees with luxon every 90 minutes of 2026 in %s', (zone) => {
    const mismatches: string[] = [];
    for (let t = at('2026-01-01T00:00:00Z'); t < at('2027-01-01T00:00:00Z'); t += 1.5 * HOUR) {
      const expected = DateTime.fromMillis(t, { zone });
      const local = toLocal(t, zone);
      const wall = expected.toFormat('yyyy-MM-dd HH:mm');
      if (local.day !== day(expected.toISODate() as string) || local.ms !== (expected.hour * 60 + expected.minute) * 60_000)
        mismatches.push(`${iso(t)} → ${wall}`);
      // Every local time that exists maps back to an instant showing that local time.
      const back = DateTime.fromMillis(fromLocal(local.day, local.ms, zone), { zone }).toFormat('yyyy-MM-dd HH:mm');
      if (back !== wall) mismatches.push(`${wall} back to ${back}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('knows IANA zones and rejects the rest', () => {
    for (const z of ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'UTC']) expect(isValidTimeZone(z)).toBe(true);
    for (const z of ['Mars/Olympus_Mons', 'New York', '+05:00', '']) expect(isValidTimeZone(z)).toBe(false);
  });
});
