import { describe, expect, it } from 'vitest';
import { formatLocal, nextWindowOpening } from '../../src/calendar/index.js';
import { at, berlin, calendar, iso, kolkata, newYork } from './fixtures.js';

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

  it('never opens before the due time when the window is inside the hour repeated as clocks go back', () => {
    // 2025-11-02, New York: 01:00–02:00 happens twice (EDT 05:00–06:00Z, then EST 06:00–07:00Z).
    const everyDay = calendar({ timezone: 'America/New_York', workingDays: [1, 2, 3, 4, 5, 6, 7] });
    const night = { from: '01:30', to: '02:30' };
    expect(iso(nextWindowOpening(at('2025-11-02T06:15:00Z'), night, everyDay))).toBe('2025-11-02T06:15:00.000Z');
    expect(iso(nextWindowOpening(at('2025-11-02T05:15:00Z'), night, everyDay))).toBe('2025-11-02T05:30:00.000Z');
    expect(iso(nextWindowOpening(at('2025-11-02T07:30:00Z'), night, everyDay))).toBe('2025-11-03T06:30:00.000Z');
    // A window that ends inside the repeated hour ends at its first pass.
    const short = { from: '01:30', to: '01:45' };
    expect(iso(nextWindowOpening(at('2025-11-02T06:20:00Z'), short, everyDay))).toBe('2025-11-03T06:30:00.000Z');
    expect(iso(nextWindowOpening(at('2025-11-02T06:40:00Z'), short, everyDay))).toBe('2025-11-03T06:30:00.000Z');
    // Runs recorded before the fix keep the comparison of local times they made.
    expect(iso(nextWindowOpening(at('2025-11-02T06:15:00Z'), night, everyDay, true))).toBe('2025-11-02T05:30:00.000Z');
  });

  it('opens a window starting in the skipped hour when clocks go forward at the first time after the gap', () => {
    const everyDay = calendar({ timezone: 'America/New_York', workingDays: [1, 2, 3, 4, 5, 6, 7] });
    expect(formatLocal(nextWindowOpening(at('2026-03-08T06:00:00Z'), { from: '02:30', to: '04:00' }, everyDay), everyDay)).toBe('Sun 2026-03-08 03:30 EDT');
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
