/**
 * Resolved calendars are shared between accounts of the same zone and years, so a run of many
 * accounts resolves holidays and derives calendar rules once per zone, not once per account.
 */
import { describe, expect, it } from 'vitest';
import { resolveCalendar } from '../../src/calendar/resolve.js';
import type { CalendarIr } from '../../src/ir/types.js';

const calendar: CalendarIr = {
  id: 'us-business',
  title: 'US business days',
  timezone: [{ field: 'timezone' }, { zone: 'America/New_York' }],
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { from: '09:00', to: '17:00' },
  holidayCountries: ['US'],
  holidays: [],
};
const y2026 = { from: 2026, to: 2026 };

describe('resolved calendars', () => {
  it('are one object for accounts in the same zone and years', () => {
    const a = resolveCalendar(calendar, { id: 'a', timezone: 'Europe/Berlin' }, y2026);
    expect(resolveCalendar(calendar, { id: 'b', timezone: 'Europe/Berlin' }, y2026)).toBe(a);
    expect(resolveCalendar(calendar, { id: 'c', timezone: 'Asia/Tokyo' }, y2026)).not.toBe(a);
    expect(resolveCalendar(calendar, { id: 'd', timezone: 'Europe/Berlin' }, { from: 2026, to: 2027 })).not.toBe(a);
    expect(resolveCalendar({ ...calendar }, { id: 'e', timezone: 'Europe/Berlin' }, y2026)).not.toBe(a);
  });

  it('cannot be changed by one account’s run', () => {
    const cal = resolveCalendar(calendar, { id: 'a', timezone: 'Europe/Berlin' }, y2026);
    expect(() => cal.holidays.push('2026-08-01')).toThrow(TypeError);
    expect(() => cal.workingDays.push(6)).toThrow(TypeError);
    expect(() => Object.assign(cal, { timezone: 'UTC' })).toThrow(TypeError);
    expect(Object.isFrozen(cal.workingHours)).toBe(true);
  });
});
