import { describe, expect, it } from 'vitest';
import { dayNumberOf, formatDate, isValidDate, isoWeekday, parseDate } from '../../src/calendar/civil-date.js';

describe('civil dates', () => {
  it('accepts real dates, including leap days', () => {
    for (const d of ['2026-01-01', '2026-12-31', '2028-02-29', '2000-02-29', '1970-01-01', '0001-01-01']) expect(isValidDate(d)).toBe(true);
  });

  it('rejects dates that do not exist or are malformed', () => {
    for (const d of [
      '2026-02-30',
      '2026-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-1-5',
      '26-01-05',
      '2026-01-05T00:00',
      ' 2026-01-05',
      '',
    ]) {
      expect(isValidDate(d), d).toBe(false);
    }
  });

  it('numbers days from 1970-01-01 and formats them back', () => {
    expect(parseDate('1970-01-01')).toBe(0);
    expect(parseDate('1969-12-31')).toBe(-1);
    expect(parseDate('0001-01-01')).toBe(-719_162);
    expect(parseDate('9999-12-31')).toBe(2_932_896);
    expect(dayNumberOf(2026, 1, 5)).toBe(Date.UTC(2026, 0, 5) / 86_400_000);
    // 0001-01-01 to 9999-12-31, the years a YYYY-MM-DD date can hold.
    for (let day = -719_162; day <= 2_932_896; day += 997) {
      expect(parseDate(formatDate(day))).toBe(day);
    }
  });

  it('gives ISO weekdays, Monday = 1', () => {
    expect(isoWeekday(parseDate('2026-01-05') as number)).toBe(1);
    expect(isoWeekday(parseDate('2026-01-04') as number)).toBe(7);
    expect(isoWeekday(parseDate('1970-01-01') as number)).toBe(4);
    expect(isoWeekday(parseDate('1969-12-27') as number)).toBe(6);
  });
});
