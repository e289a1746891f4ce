import { describe, expect, it } from 'vitest';
import { formatLocal, nextWindowOpening } from '../../src/calendar/index.js';
import { at, berlin, iso, kolkata, newYork } from './fixtures.js';

const window = { from: '09:00', to: '17:00' };
const opening = (t: string, cal = newYork) => formatLocal(nextWindowOpening(at(t), window, cal), cal);

describe('nextWindowOpening', () => {
  it('sends at once inside the window on a working day', () => {
    const t = at('2026-01-05T10:00:00-05:00');
    expect(nextWindowOpening(t, window, newYork)).toBe(t);
    expect(opening('2026-01-05T09:00:00-05:00')).toBe('Mon 2026-01-05 09:00 EST');
    expect(opening('2026-01-05T16:59:59-05:00')).toBe('Mon 2026-01-05 16:59 EST');
  });

  it('waits for the opening the same morning', () => {
    expect(opening('2026-01-05T07:15:00-05:00')).toBe('Mon 2026-01-05 09:00 EST');
  });

  it('defers an evening message to the next working morning (the window end is excluded)', () => {
    expect(opening('2026-01-05T18:00:00-05:00')).toBe('Tue 2026-01-06 09:00 EST');
    expect(opening('2026-01-05T17:00:00-05:00')).toBe('Tue 2026-01-06 09:00 EST');
  });

  it('defers a weekend message to Monday', () => {
    expect(opening('2026-01-10T10:00:00-05:00')).toBe('Mon 2026-01-12 09:00 EST');
    expect(opening('2026-01-09T20:00:00-05:00')).toBe('Mon 2026-01-12 09:00 EST');
  });

  it('defers past a holiday', () => {
    expect(opening('2026-01-19T10:00:00-05:00')).toBe('Tue 2026-01-20 09:00 EST');
    expect(opening('2026-01-16T18:00:00-05:00')).toBe('Tue 2026-01-20 09:00 EST');
  });

  it('opens at local 09:00 after a DST change', () => {
    expect(iso(nextWindowOpening(at('2026-03-28T12:00:00+01:00'), window, berlin))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(nextWindowOpening(at('2026-10-24T12:00:00+02:00'), window, berlin))).toBe('2026-10-26T08:00:00.000Z');
  });

  it('works in a half-hour zone', () => {
    expect(opening('2026-01-05T18:00:00+05:30', kolkata)).toBe('Tue 2026-01-06 09:00 GMT+5:30');
  });

  it('rejects a malformed or empty window', () => {
    expect(() => nextWindowOpening(0, { from: '17:00', to: '09:00' }, newYork)).toThrow(RangeError);
    expect(() => nextWindowOpening(0, { from: '9:00', to: '17:00' }, newYork)).toThrow(RangeError);
    expect(() => nextWindowOpening(0, { from: '09:00', to: '09:00' }, newYork)).toThrow(RangeError);
  });
});
