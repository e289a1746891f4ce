/** Calendars and helpers shared by the calendar tests. */
import { parseInstant } from '../../src/calendar/index.js';
import type { Instant, ResolvedCalendar } from '../../src/calendar/index.js';

/** US public holidays of 2026 used by the pure tests (resolve.test.ts checks the library's list). */
export const US_2026 = [
  '2026-01-01',
  '2026-01-19',
  '2026-02-16',
  '2026-05-25',
  '2026-06-19',
  '2026-07-03',
  '2026-07-04',
  '2026-09-07',
  '2026-10-12',
  '2026-11-11',
  '2026-11-26',
  '2026-12-25',
];

export function calendar(overrides: Partial<ResolvedCalendar>): ResolvedCalendar {
  return { id: 'test', timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], workingHours: null, holidays: [], ...overrides };
}

export const newYork = calendar({ id: 'us', timezone: 'America/New_York', workingHours: { from: '09:00', to: '17:00' }, holidays: US_2026 });
export const newYorkDays = calendar({ id: 'us-days', timezone: 'America/New_York', holidays: US_2026 });
export const berlin = calendar({ id: 'de', timezone: 'Europe/Berlin', workingHours: { from: '09:00', to: '17:00' } });
export const berlinDays = calendar({ id: 'de-days', timezone: 'Europe/Berlin' });
export const kolkata = calendar({ id: 'in', timezone: 'Asia/Kolkata', workingHours: { from: '09:00', to: '17:00' } });

/** An instant from an ISO string with offset; fails the test on a typo. */
export function at(iso: string): Instant {
  const t = parseInstant(iso);
  if (t === null) throw new Error(`bad instant in test: ${iso}`);
  return t;
}

export function iso(t: Instant): string {
  return new Date(t).toISOString();
}
