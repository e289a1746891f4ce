import { describe, expect, it } from 'vitest';
import type { DurationIr } from '../../src/ir/types.js';
import {
  addDuration,
  businessDaysSince,
  dateToInstant,
  daysBetween,
  defaultCalendar,
  formatLocal,
  isWorkingDay,
  localDate,
  shiftDate,
  subtractDuration,
} from '../../src/calendar/index.js';
import { at, berlin, berlinDays, calendar, iso, kolkata, newYork, newYorkDays } from './fixtures.js';

const d = (amount: number, unit: DurationIr['unit']): DurationIr => ({ amount, unit });

describe('minutes and hours: elapsed time', () => {
  it('adds exact elapsed time, also across spring-forward', () => {
    expect(iso(addDuration(at('2026-03-07T09:00:00-05:00'), d(24, 'hour'), newYork))).toBe('2026-03-08T14:00:00.000Z');
    expect(formatLocal(addDuration(at('2026-03-07T09:00:00-05:00'), d(24, 'hour'), newYork), newYork)).toBe('Sun 2026-03-08 10:00 EDT');
    expect(iso(addDuration(at('2026-01-05T09:00:00Z'), d(90, 'minute'), defaultCalendar))).toBe('2026-01-05T10:30:00.000Z');
    expect(iso(subtractDuration(at('2026-01-05T09:00:00Z'), d(0.5, 'hour'), defaultCalendar))).toBe('2026-01-05T08:30:00.000Z');
  });
});

describe('days and weeks: calendar days keeping the local time', () => {
  it('keeps 09:00 across New York spring-forward (2026-03-08) and fall-back (2026-11-01)', () => {
    expect(formatLocal(addDuration(at('2026-03-07T09:00:00-05:00'), d(1, 'day'), newYork), newYork)).toBe('Sun 2026-03-08 09:00 EDT');
    expect(iso(addDuration(at('2026-03-07T09:00:00-05:00'), d(1, 'day'), newYork))).toBe('2026-03-08T13:00:00.000Z');
    expect(iso(addDuration(at('2026-10-31T09:00:00-04:00'), d(1, 'day'), newYork))).toBe('2026-11-01T14:00:00.000Z');
    expect(iso(subtractDuration(at('2026-11-01T09:00:00-05:00'), d(1, 'day'), newYork))).toBe('2026-10-31T13:00:00.000Z');
  });

  it('keeps 09:00 across Berlin spring-forward (2026-03-29) and fall-back (2026-10-25)', () => {
    expect(iso(addDuration(at('2026-03-23T09:00:00+01:00'), d(1, 'week'), berlin))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(addDuration(at('2026-10-19T09:00:00+02:00'), d(1, 'week'), berlin))).toBe('2026-10-26T08:00:00.000Z');
    expect(formatLocal(addDuration(at('2026-10-19T09:00:00+02:00'), d(7, 'day'), berlin), berlin)).toBe('Mon 2026-10-26 09:00 GMT+1');
  });

  it('moves a local time that does not exist forward, and takes the first of a repeated one', () => {
    expect(formatLocal(addDuration(at('2026-03-07T02:30:00-05:00'), d(1, 'day'), newYork), newYork)).toBe('Sun 2026-03-08 03:30 EDT');
    expect(iso(addDuration(at('2026-03-28T02:30:00+01:00'), d(1, 'day'), berlin))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(addDuration(at('2026-10-31T01:30:00-04:00'), d(1, 'day'), newYork))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(addDuration(at('2026-10-24T02:30:00+02:00'), d(1, 'day'), berlin))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('counts from the second occurrence of a repeated time by its local time', () => {
    expect(iso(addDuration(at('2026-11-01T01:30:00-05:00'), d(1, 'day'), newYork))).toBe('2026-11-02T06:30:00.000Z');
  });

  it('works in a half-hour zone', () => {
    expect(iso(addDuration(at('2026-01-05T09:00:00+05:30'), d(2, 'week'), kolkata))).toBe('2026-01-19T03:30:00.000Z');
  });
});

describe('business days', () => {
  it('matches the language reference: Mon 2026-01-05 09:00 New York + 10 business days = Tue 2026-01-20 09:00', () => {
    const t = addDuration(at('2026-01-05T09:00:00-05:00'), d(10, 'business day'), newYork);
    expect(formatLocal(t, newYork)).toBe('Tue 2026-01-20 09:00 EST');
    expect(iso(t)).toBe('2026-01-20T14:00:00.000Z');
  });

  it('lands on the holiday when it is not a holiday', () => {
    const noHolidays = calendar({ timezone: 'America/New_York' });
    expect(formatLocal(addDuration(at('2026-01-05T09:00:00-05:00'), d(10, 'business day'), noHolidays), noHolidays)).toBe('Mon 2026-01-19 09:00 EST');
  });

  it('skips a weekend and an observed holiday (2026-07-03) together', () => {
    expect(formatLocal(addDuration(at('2026-07-02T10:00:00-04:00'), d(1, 'business day'), newYork), newYork)).toBe('Mon 2026-07-06 10:00 EDT');
  });

  it('counts the next working day first when starting on a non-working day, keeping the time', () => {
    expect(formatLocal(addDuration(at('2026-01-10T20:00:00-05:00'), d(1, 'business day'), newYork), newYork)).toBe('Mon 2026-01-12 20:00 EST');
    expect(formatLocal(addDuration(at('2026-01-17T10:00:00-05:00'), d(1, 'business day'), newYork), newYork)).toBe('Tue 2026-01-20 10:00 EST');
  });

  it('starts from a holiday like from any non-working day', () => {
    expect(formatLocal(addDuration(at('2026-01-19T10:00:00-05:00'), d(1, 'business day'), newYork), newYork)).toBe('Tue 2026-01-20 10:00 EST');
    expect(formatLocal(addDuration(at('2026-01-19T10:00:00-05:00'), d(2, 'business day'), newYork), newYork)).toBe('Wed 2026-01-21 10:00 EST');
  });

  it('gives t itself for 0 business days, even on a holiday', () => {
    const t = at('2026-01-19T10:00:00-05:00');
    expect(addDuration(t, d(0, 'business day'), newYork)).toBe(t);
  });

  it('gives t itself for 0 business hours outside working hours, not the next opening (docs/language.md)', () => {
    const saturday = at('2026-01-10T10:00:00-05:00');
    const evening = at('2026-01-05T20:00:00-05:00');
    expect(addDuration(saturday, d(0, 'business hour'), newYork)).toBe(saturday);
    expect(subtractDuration(evening, d(0, 'business hour'), newYork)).toBe(evening);
  });

  it('keeps the local time across DST weekends', () => {
    expect(iso(addDuration(at('2026-03-06T09:00:00-05:00'), d(1, 'business day'), newYork))).toBe('2026-03-09T13:00:00.000Z');
    expect(iso(addDuration(at('2026-03-27T10:00:00+01:00'), d(1, 'business day'), berlin))).toBe('2026-03-30T08:00:00.000Z');
    expect(iso(addDuration(at('2026-10-23T10:00:00+02:00'), d(1, 'business day'), berlin))).toBe('2026-10-26T09:00:00.000Z');
  });

  it('subtracts by counting working days backwards', () => {
    expect(formatLocal(subtractDuration(at('2026-01-20T09:00:00-05:00'), d(10, 'business day'), newYork), newYork)).toBe('Mon 2026-01-05 09:00 EST');
    expect(formatLocal(subtractDuration(at('2026-01-02T09:00:00-05:00'), d(1, 'business day'), newYork), newYork)).toBe('Wed 2025-12-31 09:00 EST');
  });

  it('rejects fractional and negative amounts', () => {
    expect(() => addDuration(0, d(1.5, 'business day'), newYork)).toThrow(RangeError);
    expect(() => addDuration(0, d(-1, 'day'), newYork)).toThrow(RangeError);
    expect(() => addDuration(0, d(Number.NaN, 'hour'), newYork)).toThrow(RangeError);
  });
});

describe('business hours', () => {
  it('carries over to the next working day: Fri 16:00 + 2 business hours = Mon 10:00', () => {
    expect(formatLocal(addDuration(at('2026-01-09T16:00:00-05:00'), d(2, 'business hour'), newYork), newYork)).toBe('Mon 2026-01-12 10:00 EST');
  });

  it('skips a holiday Monday: Fri 16:00 + 2 business hours = Tue 10:00', () => {
    expect(formatLocal(addDuration(at('2026-01-16T16:00:00-05:00'), d(2, 'business hour'), newYork), newYork)).toBe('Tue 2026-01-20 10:00 EST');
  });

  it('starts at the next opening when outside working hours', () => {
    expect(formatLocal(addDuration(at('2026-01-05T07:00:00-05:00'), d(1, 'business hour'), newYork), newYork)).toBe('Mon 2026-01-05 10:00 EST');
    expect(formatLocal(addDuration(at('2026-01-05T17:00:00-05:00'), d(1, 'business hour'), newYork), newYork)).toBe('Tue 2026-01-06 10:00 EST');
    expect(formatLocal(addDuration(at('2026-01-19T11:00:00-05:00'), d(1, 'business hour'), newYork), newYork)).toBe('Tue 2026-01-20 10:00 EST');
  });

  it('ends at closing time when the hours fit exactly', () => {
    expect(formatLocal(addDuration(at('2026-01-05T16:00:00-05:00'), d(1, 'business hour'), newYork), newYork)).toBe('Mon 2026-01-05 17:00 EST');
    expect(formatLocal(addDuration(at('2026-01-05T09:00:00-05:00'), d(8, 'business hour'), newYork), newYork)).toBe('Mon 2026-01-05 17:00 EST');
    expect(formatLocal(addDuration(at('2026-01-05T09:00:00-05:00'), d(9, 'business hour'), newYork), newYork)).toBe('Tue 2026-01-06 10:00 EST');
  });

  it('spans several days and takes fractions', () => {
    expect(formatLocal(addDuration(at('2026-01-05T13:00:00-05:00'), d(20, 'business hour'), newYork), newYork)).toBe('Wed 2026-01-07 17:00 EST');
    expect(formatLocal(addDuration(at('2026-01-05T13:00:00-05:00'), d(0.25, 'business hour'), newYork), newYork)).toBe('Mon 2026-01-05 13:15 EST');
  });

  it('crosses a DST weekend in Berlin', () => {
    expect(iso(addDuration(at('2026-03-27T16:00:00+01:00'), d(2, 'business hour'), berlin))).toBe('2026-03-30T08:00:00.000Z');
  });

  it('works in a half-hour zone', () => {
    expect(formatLocal(addDuration(at('2026-01-09T16:00:00+05:30'), d(2, 'business hour'), kolkata), kolkata)).toBe('Mon 2026-01-12 10:00 GMT+5:30');
  });

  it('uses whole local days without working hours (23 h on spring-forward day)', () => {
    const everyDay = calendar({ timezone: 'America/New_York', workingDays: [1, 2, 3, 4, 5, 6, 7] });
    expect(iso(addDuration(at('2026-03-08T00:00:00-05:00'), d(24, 'business hour'), everyDay))).toBe('2026-03-09T05:00:00.000Z');
    expect(formatLocal(addDuration(at('2026-01-09T16:00:00-05:00'), d(10, 'business hour'), newYorkDays), newYorkDays)).toBe('Mon 2026-01-12 02:00 EST');
  });

  it('subtracts backwards through closed time and holidays', () => {
    expect(formatLocal(subtractDuration(at('2026-01-12T10:00:00-05:00'), d(2, 'business hour'), newYork), newYork)).toBe('Fri 2026-01-09 16:00 EST');
    expect(formatLocal(subtractDuration(at('2026-01-20T10:00:00-05:00'), d(2, 'business hour'), newYork), newYork)).toBe('Fri 2026-01-16 16:00 EST');
    expect(formatLocal(subtractDuration(at('2026-01-06T09:00:00-05:00'), d(8, 'business hour'), newYork), newYork)).toBe('Mon 2026-01-05 09:00 EST');
  });
});

describe('dates as instants', () => {
  it('is the start of working hours, even on a holiday or weekend', () => {
    expect(formatLocal(dateToInstant('2026-01-19', newYork), newYork)).toBe('Mon 2026-01-19 09:00 EST');
    expect(formatLocal(dateToInstant('2026-01-17', newYork), newYork)).toBe('Sat 2026-01-17 09:00 EST');
  });

  it('is local midnight without working hours', () => {
    expect(iso(dateToInstant('2026-03-08', newYorkDays))).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(dateToInstant('2026-03-09', newYorkDays))).toBe('2026-03-09T04:00:00.000Z');
    expect(iso(dateToInstant('2026-01-05', calendar({ timezone: 'Asia/Kolkata' })))).toBe('2026-01-04T18:30:00.000Z');
    expect(iso(dateToInstant('2026-01-05', defaultCalendar))).toBe('2026-01-05T00:00:00.000Z');
  });

  it('rejects a date that does not exist', () => {
    expect(() => dateToInstant('2026-02-30', newYork)).toThrow(RangeError);
  });
});

describe('date offsets', () => {
  it('counts calendar days across month and year ends', () => {
    expect(shiftDate('2026-01-31', { amount: 1, unit: 'day' }, 'after', newYork)).toBe('2026-02-01');
    expect(shiftDate('2026-12-31', { amount: 1, unit: 'day' }, 'after', newYork)).toBe('2027-01-01');
    expect(shiftDate('2027-01-01', { amount: 1, unit: 'day' }, 'before', newYork)).toBe('2026-12-31');
    expect(shiftDate('2026-06-30', { amount: 90, unit: 'day' }, 'before', newYork)).toBe('2026-04-01');
    expect(shiftDate('2026-12-28', { amount: 2, unit: 'week' }, 'after', newYork)).toBe('2027-01-11');
  });

  it('handles the leap day 2028-02-29', () => {
    expect(shiftDate('2028-02-28', { amount: 1, unit: 'day' }, 'after', newYork)).toBe('2028-02-29');
    expect(shiftDate('2028-03-01', { amount: 1, unit: 'day' }, 'before', newYork)).toBe('2028-02-29');
    expect(shiftDate('2028-02-29', { amount: 1, unit: 'week' }, 'after', newYork)).toBe('2028-03-07');
    expect(shiftDate('2028-02-29', { amount: 365, unit: 'day' }, 'after', newYork)).toBe('2029-02-28');
    expect(shiftDate('2028-03-01', { amount: 1, unit: 'business day' }, 'before', newYork)).toBe('2028-02-29');
  });

  it('counts working days for business days, backwards for before', () => {
    expect(shiftDate('2026-12-24', { amount: 2, unit: 'business day' }, 'after', newYork)).toBe('2026-12-29');
    expect(shiftDate('2026-01-02', { amount: 1, unit: 'business day' }, 'before', newYork)).toBe('2025-12-31');
    expect(shiftDate('2026-01-20', { amount: 5, unit: 'business day' }, 'before', newYork)).toBe('2026-01-12');
    expect(shiftDate('2026-01-19', { amount: 1, unit: 'business day' }, 'after', newYork)).toBe('2026-01-20');
    expect(shiftDate('2026-01-19', { amount: 0, unit: 'business day' }, 'after', newYork)).toBe('2026-01-19');
  });
});

describe('days until / since and business days since', () => {
  it('counts whole calendar days, negative when the date has passed', () => {
    expect(daysBetween('2026-01-05', '2026-01-10')).toBe(5);
    expect(daysBetween('2026-01-10', '2026-01-05')).toBe(-5);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
  });

  it('takes today from the local date of the instant', () => {
    expect(localDate(at('2026-01-05T03:00:00Z'), newYork)).toBe('2026-01-04');
    expect(localDate(at('2026-01-04T18:30:00Z'), kolkata)).toBe('2026-01-05');
    expect(localDate(at('2026-01-04T18:29:59Z'), kolkata)).toBe('2026-01-04');
  });

  it('counts working days strictly after the date up to and including today', () => {
    const tuesday = at('2026-01-20T10:00:00-05:00');
    expect(businessDaysSince('2026-01-16', tuesday, newYork)).toBe(1);
    expect(businessDaysSince('2026-01-20', tuesday, newYork)).toBe(0);
    expect(businessDaysSince('2026-01-19', tuesday, newYork)).toBe(1);
    expect(businessDaysSince('2026-01-05', tuesday, newYork)).toBe(10);
  });

  it('is negative for a date after today', () => {
    expect(businessDaysSince('2026-01-23', at('2026-01-20T10:00:00-05:00'), newYork)).toBe(-3);
    expect(businessDaysSince('2026-01-20', at('2026-01-16T10:00:00-05:00'), newYork)).toBe(-1);
  });

  it('agrees with counting day by day over ten years', () => {
    const t = at('2026-06-15T12:00:00Z');
    let expected = 0;
    for (let date = '2016-06-15'; date !== '2026-06-15';) {
      date = shiftDate(date, { amount: 1, unit: 'day' }, 'after', newYorkDays);
      if (isWorkingDay(date, newYorkDays)) expected++;
    }
    expect(businessDaysSince('2016-06-15', t, newYorkDays)).toBe(expected);
    // 3652 days = 521 whole weeks + Thu 06-11 … Mon 06-15 (3 weekdays).
    expect(businessDaysSince('2016-06-15', t, berlinDays)).toBe(521 * 5 + 3);
  });
});

describe('working days', () => {
  it('excludes weekends and holidays', () => {
    expect(isWorkingDay('2026-01-05', newYork)).toBe(true);
    expect(isWorkingDay('2026-01-10', newYork)).toBe(false);
    expect(isWorkingDay('2026-01-19', newYork)).toBe(false);
    expect(isWorkingDay('2026-01-19', defaultCalendar)).toBe(true);
  });
});

describe('formatLocal', () => {
  it('shows weekday, local date and time and the zone name', () => {
    expect(formatLocal(at('2026-01-05T14:00:00Z'), newYork)).toBe('Mon 2026-01-05 09:00 EST');
    expect(formatLocal(at('2026-07-06T13:00:00Z'), newYork)).toBe('Mon 2026-07-06 09:00 EDT');
    expect(formatLocal(at('2026-01-05T03:30:00Z'), kolkata)).toBe('Mon 2026-01-05 09:00 GMT+5:30');
    expect(formatLocal(at('2026-01-05T09:00:00Z'), defaultCalendar)).toBe('Mon 2026-01-05 09:00 UTC');
  });
});
