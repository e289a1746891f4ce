import { describe, expect, it } from 'vitest';
import { formatLocal, formatUtc } from '../../src/calendar/index.js';
import { newYork } from './fixtures.js';

const AT = Date.parse('2026-01-05T14:07:42.123Z');

describe('times for people', () => {
  it('shows an instant in the calendar zone with weekday and zone name', () => {
    expect(formatLocal(AT, newYork)).toBe('Mon 2026-01-05 09:07 EST');
  });

  it('shows an instant in UTC to the minute, or to the second for tables', () => {
    expect(formatUtc(AT)).toBe('2026-01-05 14:07Z');
    expect(formatUtc(AT, 'seconds')).toBe('2026-01-05 14:07:42Z');
  });
});
