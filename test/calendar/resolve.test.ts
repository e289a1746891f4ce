import { describe, expect, it } from 'vitest';
import { defaultCalendar, isWorkingDay } from '../../src/calendar/index.js';
import { isValidTimeZone, knownCountry, resolveCalendar } from '../../src/calendar/resolve.js';
import type { CalendarIr } from '../../src/ir/types.js';

const usBusiness: CalendarIr = {
  id: 'us-business',
  title: 'US business days',
  timezone: [{ field: 'timezone' }, { zone: 'America/New_York' }],
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { from: '09:00', to: '17:00' },
  holidayCountries: ['US'],
  holidays: [{ date: '2026-12-24', name: 'Office closed' }],
};
const y2026 = { from: 2026, to: 2026 };

describe('resolveCalendar', () => {
  it('gives the default calendar for a playbook without one', () => {
    expect(resolveCalendar(null, { id: 'a' }, y2026)).toBe(defaultCalendar);
  });

  it("takes the account's zone when it holds a valid one", () => {
    expect(resolveCalendar(usBusiness, { id: 'a', timezone: 'Europe/Berlin' }, y2026).timezone).toBe('Europe/Berlin');
  });

  it('falls back to the next source when the account zone is missing, invalid or not text', () => {
    expect(resolveCalendar(usBusiness, { id: 'a' }, y2026).timezone).toBe('America/New_York');
    expect(resolveCalendar(usBusiness, { id: 'a', timezone: 'Mars/Base' }, y2026).timezone).toBe('America/New_York');
    expect(resolveCalendar(usBusiness, { id: 'a', timezone: 42 }, y2026).timezone).toBe('America/New_York');
  });

  it('falls back to UTC when no source gives a zone', () => {
    const fieldOnly: CalendarIr = { ...usBusiness, timezone: [{ field: 'timezone' }] };
    expect(resolveCalendar(fieldOnly, { id: 'a', timezone: null }, y2026).timezone).toBe('UTC');
  });

  it('resolves US public holidays of 2026, including the observed Independence Day', () => {
    const { holidays } = resolveCalendar(usBusiness, { id: 'a' }, y2026);
    for (const date of ['2026-01-01', '2026-01-19', '2026-05-25', '2026-07-03', '2026-07-04', '2026-11-26', '2026-12-25']) {
      expect(holidays, date).toContain(date);
    }
    // Observances and optional days are not public holidays.
    expect(holidays).not.toContain('2026-02-14');
    expect(holidays).not.toContain('2026-11-27');
  });

  it('adds explicit holiday lines and keeps the dates sorted and unique', () => {
    const withDuplicate: CalendarIr = { ...usBusiness, holidays: [...usBusiness.holidays, { date: '2026-12-25', name: null }] };
    const { holidays } = resolveCalendar(withDuplicate, { id: 'a' }, y2026);
    expect(holidays).toContain('2026-12-24');
    expect(holidays).toEqual([...new Set(holidays)].sort());
    expect(holidays.filter((h) => h === '2026-12-25')).toHaveLength(1);
  });

  it('covers every year asked for', () => {
    const { holidays } = resolveCalendar(usBusiness, { id: 'a' }, { from: 2026, to: 2027 });
    expect(holidays).toContain('2027-01-18');
    expect(holidays).toContain('2026-01-19');
  });

  it('resolves states and leaves out non-public days', () => {
    const bavaria: CalendarIr = { ...usBusiness, id: 'by', timezone: [{ zone: 'Europe/Berlin' }], holidayCountries: ['DE-BY'], holidays: [] };
    const cal = resolveCalendar(bavaria, { id: 'a' }, y2026);
    expect(cal.holidays).toContain('2026-01-06');
    expect(cal.holidays).toContain('2026-10-03');
    expect(cal.holidays).not.toContain('2026-12-24');
    expect(isWorkingDay('2026-01-06', cal)).toBe(false);
  });

  it('without holiday countries holds only the explicit lines', () => {
    const explicitOnly: CalendarIr = { ...usBusiness, holidayCountries: [] };
    expect(resolveCalendar(explicitOnly, { id: 'a' }, y2026).holidays).toEqual(['2026-12-24']);
  });

  it('rejects an unknown country, an unusable calendar and bad years', () => {
    expect(() => resolveCalendar({ ...usBusiness, holidayCountries: ['XX'] }, { id: 'a' }, y2026)).toThrow(/unknown holiday country "XX"/);
    expect(() => resolveCalendar({ ...usBusiness, workingDays: [] }, { id: 'a' }, y2026)).toThrow(/has no working days/);
    expect(() => resolveCalendar(usBusiness, { id: 'a' }, { from: 2027, to: 2026 })).toThrow(RangeError);
  });
});

describe('knownCountry', () => {
  it('knows countries, states and regions', () => {
    for (const code of ['US', 'DE', 'IN', 'US-CA', 'DE-BY', 'US-CA-LA']) expect(knownCountry(code), code).toBe(true);
  });

  it('rejects unknown or lower-case codes', () => {
    for (const code of ['XX', 'us', 'USA', 'US-ZZ', 'US-CA-ZZ', 'US-', '']) expect(knownCountry(code), code).toBe(false);
  });
});

describe('isValidTimeZone (re-exported for the checker)', () => {
  it('accepts IANA names only', () => {
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('America/Gotham')).toBe(false);
  });
});
