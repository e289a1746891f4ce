import { describe, expect, it } from 'vitest';
import { addDuration, formatLocal, isWorkingDay, nextWindowOpening, shiftDate, validateCalendar } from '../../src/calendar/index.js';
import { at, calendar } from './fixtures.js';

describe('validateCalendar', () => {
  it('accepts a usable calendar', () => {
    expect(() => validateCalendar(calendar({ workingHours: { from: '08:30', to: '24:00' }, holidays: ['2026-01-01'] }))).not.toThrow();
  });

  it.each([
    [{ workingDays: [] }, /calendar test: has no working days/],
    [{ timezone: 'Mars/Base' }, /unknown time zone "Mars\/Base"/],
    [{ workingDays: [0, 1] }, /working day 0 is not an ISO weekday/],
    [{ workingHours: { from: '9:00', to: '17:00' } }, /must be HH:MM times/],
    [{ workingHours: { from: '09:00', to: '24:30' } }, /must be HH:MM times/],
    [{ workingHours: { from: '17:00', to: '09:00' } }, /must end after they start/],
    [{ holidays: ['2026-02-30'] }, /holiday "2026-02-30" is not a valid/],
  ])('rejects %j', (overrides, message) => {
    expect(() => validateCalendar(calendar(overrides))).toThrow(message);
  });

  it('names the default calendar when it has no id', () => {
    expect(() => validateCalendar(calendar({ id: null, workingDays: [] }))).toThrow(/^the default calendar: has no working days$/);
  });

  it('is run by the arithmetic, so a calendar without working days throws instead of looping', () => {
    const none = calendar({ workingDays: [] });
    expect(() => addDuration(0, { amount: 1, unit: 'business day' }, none)).toThrow(/has no working days/);
    expect(() => nextWindowOpening(0, { from: '09:00', to: '17:00' }, none)).toThrow(/has no working days/);
  });
});

describe('calendars with long runs of holidays', () => {
  it('finds the next working day after a year of holidays', () => {
    const holidays: string[] = [];
    for (let date = '2026-01-01'; date <= '2026-12-31'; date = shiftDate(date, { amount: 1, unit: 'day' }, 'after', calendar({}))) {
      holidays.push(date);
    }
    const closedAllYear = calendar({ holidays });
    expect(isWorkingDay('2026-06-01', closedAllYear)).toBe(false);
    expect(formatLocal(addDuration(at('2025-12-31T10:00:00Z'), { amount: 1, unit: 'business day' }, closedAllYear), closedAllYear)).toBe(
      'Fri 2027-01-01 10:00 UTC',
    );
    expect(shiftDate('2027-01-01', { amount: 1, unit: 'business day' }, 'before', closedAllYear)).toBe('2025-12-31');
  });
});
