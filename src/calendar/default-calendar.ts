import type { ResolvedCalendar } from './types.js';

/** The calendar of a playbook without `calendar`: Monday–Friday, UTC, no holidays, whole days. */
export const defaultCalendar: ResolvedCalendar = Object.freeze({
  id: null,
  timezone: 'UTC',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: null,
  holidays: [],
});
