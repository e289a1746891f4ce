/** When a daily message of working days goes out: the next (and previous) start of working hours. */
import { describe, expect, it } from 'vitest';
import { formatLocal, nextWorkdayStart, previousWorkdayStart } from '../../src/calendar/index.js';
import { at, berlin, newYork } from './fixtures.js';

const next = (t: string, cal = newYork) => formatLocal(nextWorkdayStart(at(t), cal), cal);
const previous = (t: string, cal = newYork) => formatLocal(previousWorkdayStart(at(t), cal), cal);

describe('nextWorkdayStart', () => {
  it('is the same morning before 09:00, the next working morning from 09:00 on', () => {
    expect(next('2026-01-05T08:59:00-05:00')).toBe('Mon 2026-01-05 09:00 EST');
    expect(next('2026-01-05T09:00:00-05:00')).toBe('Tue 2026-01-06 09:00 EST');
    expect(next('2026-01-05T12:00:00-05:00')).toBe('Tue 2026-01-06 09:00 EST');
  });

  it('skips the weekend and a holiday (Martin Luther King Day)', () => {
    expect(next('2026-01-09T10:00:00-05:00')).toBe('Mon 2026-01-12 09:00 EST');
    expect(next('2026-01-16T10:00:00-05:00')).toBe('Tue 2026-01-20 09:00 EST');
  });

  it('keeps 09:00 local across a DST change', () => {
    expect(next('2026-03-27T12:00:00+01:00', berlin)).toBe('Mon 2026-03-30 09:00 GMT+2');
  });
});

describe('previousWorkdayStart', () => {
  it('is the last working morning strictly before, back over a weekend and a holiday', () => {
    expect(previous('2026-01-06T09:00:00-05:00')).toBe('Mon 2026-01-05 09:00 EST');
    expect(previous('2026-01-05T12:00:00-05:00')).toBe('Mon 2026-01-05 09:00 EST');
    expect(previous('2026-01-12T09:00:00-05:00')).toBe('Fri 2026-01-09 09:00 EST');
    expect(previous('2026-01-20T09:00:00-05:00')).toBe('Fri 2026-01-16 09:00 EST');
  });
});
