import { describe, expect, it } from 'vitest';
import { defaultCalendar, isWorkingDay, shiftDate } from '../../src/calendar/index.js';
import { isValidTimeZone, knownCountry, resolveCalendar } from '../../src/calendar/resolve.js';
import type { AccountData, CalendarIr } from '../../src/ir/types.js';

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

describe('holidays as business days count them', () => {
  const everywhere = (code: string, zone: string): CalendarIr => ({
    ...usBusiness,
    id: code,
    timezone: [{ zone }],
    workingHours: null,
    holidayCountries: [code],
    holidays: [],
  });
  const plusOneBusinessDay = (date: string, cal: CalendarIr, year: number) =>
    shiftDate(date, { amount: 1, unit: 'business day' }, 'after', resolveCalendar(cal, { id: 'a' }, { from: year, to: year }));

  it('counts every day of a holiday lasting several days (Chuseok 2026: 09-24 to 09-26)', () => {
    const korea = everywhere('KR', 'Asia/Seoul');
    expect(resolveCalendar(korea, { id: 'a' }, y2026).holidays).toEqual(expect.arrayContaining(['2026-09-24', '2026-09-25', '2026-09-26']));
    expect(plusOneBusinessDay('2026-09-23', korea, 2026)).toBe('2026-09-28');
  });

  it('counts a substitute day the library types `bank` (Veterans Day 2028 observed on Friday 11-10)', () => {
    const us = everywhere('US', 'America/New_York');
    expect(plusOneBusinessDay('2028-11-09', us, 2028)).toBe('2028-11-13');
    // Bank days that substitute for nothing stay working days: the day after Thanksgiving is an observance.
    expect(resolveCalendar(us, { id: 'a' }, { from: 2028, to: 2028 }).holidays).not.toContain('2028-11-24');
  });

  it('has the English August bank holiday in "GB-ENG", not in "GB"', () => {
    expect(resolveCalendar(everywhere('GB-ENG', 'Europe/London'), { id: 'a' }, y2026).holidays).toContain('2026-08-31');
    expect(resolveCalendar(everywhere('GB', 'Europe/London'), { id: 'a' }, y2026).holidays).not.toContain('2026-08-31');
  });
});

describe('holidays from an account field', () => {
  const perAccount: CalendarIr = { ...usBusiness, holidayCountries: [], holidays: [], holidaySources: [[{ field: 'country' }, { code: 'US' }]] };

  it("takes the account's country or region, in any letter case", () => {
    expect(resolveCalendar(perAccount, { id: 'a', country: 'DE-BY' }, y2026).holidays).toContain('2026-01-06');
    expect(resolveCalendar(perAccount, { id: 'a', country: 'de-by' }, y2026).holidays).toContain('2026-01-06');
    expect(resolveCalendar(perAccount, { id: 'a', country: 'DE-BY' }, y2026).holidays).not.toContain('2026-07-03');
  });

  it('falls back to the code when the field has no value', () => {
    for (const country of [undefined, null, '']) {
      const account: AccountData = country === undefined ? { id: 'a' } : { id: 'a', country };
      expect(resolveCalendar(perAccount, account, y2026).holidays, String(country)).toContain('2026-07-03');
    }
  });

  it('adds no holidays when no source has a value and there is no code', () => {
    const fieldOnly: CalendarIr = { ...perAccount, holidaySources: [[{ field: 'country' }]] };
    expect(resolveCalendar(fieldOnly, { id: 'a' }, y2026).holidays).toEqual([]);
  });

  it('gives accounts of different regions different calendars and accounts of one region the same object', () => {
    const berlin = resolveCalendar(perAccount, { id: 'a', country: 'DE' }, y2026);
    expect(resolveCalendar(perAccount, { id: 'b', country: 'DE' }, y2026)).toBe(berlin);
    expect(resolveCalendar(perAccount, { id: 'c', country: 'US' }, y2026)).not.toBe(berlin);
  });

  it('names the field and its value when it holds no holiday code', () => {
    expect(() => resolveCalendar(perAccount, { id: 'a', country: 'Germany' }, y2026)).toThrow(
      'calendar us-business: account.country is "Germany", not a holiday country or region code (such as "US", "GB-ENG" or "DE-BY")',
    );
    expect(() => resolveCalendar(perAccount, { id: 'a', country: 49 }, y2026)).toThrow(/account.country is 49, not a holiday/);
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
