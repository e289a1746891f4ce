/**
 * The workflow-safe calendar API: pure business-time arithmetic on a ResolvedCalendar.
 * Holiday resolution lives in `resolve.ts`, which is deliberately not re-exported here.
 */
export type { Instant, ResolvedCalendar } from './types.js';
export {
  addDuration,
  businessDaysSince,
  businessTimeBetween,
  workingDayLength,
  dateToInstant,
  daysBetween,
  isDateUnit,
  isWorkingDay,
  localDate,
  nextWindowOpening,
  nextWorkdayStart,
  previousWorkdayStart,
  shiftDate,
  subtractDuration,
  type DateDuration,
  type DateUnit,
  type Direction,
} from './business-time.js';
export { validateCalendar } from './calendar-rules.js';
export { isValidDate } from './civil-date.js';
export { defaultCalendar } from './default-calendar.js';
export { formatDue, formatLocal, formatUtc, type DueGroup, type DueTime } from './format-local.js';
export { parseDateOrInstant, parseInstant } from './iso-instant.js';
export { isValidTimeZone } from './zone-time.js';
