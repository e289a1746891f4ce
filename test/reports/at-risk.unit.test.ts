/**
 * The at-risk rules (docs/kpis.md, "Goals at risk" and `at-risk`) in the New York business
 * calendar (09:00–17:00, Monday to Friday, US holidays): a pending goal with 19% of its window
 * left is at risk and one with 21% is not, the window counted in business time across the start
 * of daylight-saving time for a business-day goal and in elapsed time for a plain-day one; a
 * task due 3 h 59 min of business time ahead across a weekend is, 4 h 01 min is not.
 */
import { describe, expect, it } from 'vitest';
import { resolveCalendar } from '../../src/calendar/resolve.js';
import { addDuration } from '../../src/calendar/index.js';
import type { DurationUnit } from '../../src/ir/types.js';
import { taskDueSoon } from '../../src/reports/at-risk.js';
import { round } from '../../src/reports/figures.js';
import { goalLeft } from '../../src/reports/goals-at-risk.js';
import { US_BUSINESS } from './fixture.js';

const cal = resolveCalendar(US_BUSINESS, { id: 'k', timezone: 'America/New_York' }, { from: 2025, to: 2027 });
const t = (local: string) => Date.parse(local);
const HOUR = 3_600_000;

describe('the at-risk window rule', () => {
  // Anchored Monday 2026-03-02 09:00 EST, 10 business days: the deadline is Monday 2026-03-16
  // 09:00 EDT, a window of 80 business hours; 20% of it is 16 hours.
  const since = t('2026-03-02T09:00:00-05:00');
  const deadline = t('2026-03-16T09:00:00-04:00');
  const percentLeft = (asOf: number, unit: DurationUnit | null) => {
    const { left, atRisk } = goalLeft(since, deadline, asOf, unit, cal);
    return { leftPercent: round(left * 100, 1), atRisk };
  };

  it('flags a pending goal with 19% of its window left, not one with 21%', () => {
    expect(addDuration(since, { amount: 10, unit: 'business day' }, cal)).toBe(deadline);
    // 15 h 12 min left (19%): Thursday 03-12 09:48 to 17:00 (7 h 12 min) and Friday (8 h).
    expect(percentLeft(t('2026-03-12T09:48:00-04:00'), 'business day')).toEqual({ leftPercent: 19, atRisk: true });
    // 16 h 48 min left (21%): Wednesday 03-11 16:12 to 17:00, Thursday and Friday.
    expect(percentLeft(t('2026-03-11T16:12:00-04:00'), 'business day')).toEqual({ leftPercent: 21, atRisk: false });
  });

  it('counts in business time when the version kept no goals to tell the unit', () => {
    expect(percentLeft(t('2026-03-12T09:48:00-04:00'), null)).toEqual({ leftPercent: 19, atRisk: true });
    // A window with no business time in it (Saturday 10:00 to 12:00): in elapsed time, 25% left at 11:30.
    const saturday = t('2026-03-14T10:00:00-04:00');
    expect(goalLeft(saturday, saturday + 2 * HOUR, saturday + 1.5 * HOUR, null, cal)).toEqual({ left: 0.25, atRisk: false });
  });

  it('leaves out a goal whose deadline has passed (it is missed) and one not yet anchored', () => {
    expect(percentLeft(deadline, 'business day').atRisk).toBe(false);
    expect(percentLeft(t('2026-03-01T09:00:00-05:00'), 'business day').atRisk).toBe(false);
  });

  it('counts a goal of plain days in elapsed time', () => {
    // The 10-business-day window above in elapsed time: 95 h 12 min of 335 h left (28.4%, the
    // hour lost to daylight-saving time out of it) at Thursday 09:48, where business time has 19%.
    expect(percentLeft(t('2026-03-12T09:48:00-04:00'), 'day')).toEqual({ leftPercent: 28.4, atRisk: false });
    // 30 days from 03-02 09:00 EST: Wednesday 04-01 09:00 EDT, 719 hours; 19% left is 136.61
    // hours before the deadline, 21% is 150.99.
    const end = addDuration(since, { amount: 30, unit: 'day' }, cal);
    expect(end).toBe(t('2026-04-01T09:00:00-04:00'));
    const leftOf = (hoursBefore: number) => {
      const { left, atRisk } = goalLeft(since, end, end - hoursBefore * HOUR, 'day', cal);
      return { leftPercent: round(left * 100, 1), atRisk };
    };
    expect(leftOf(136.61)).toEqual({ leftPercent: 19, atRisk: true });
    expect(leftOf(150.99)).toEqual({ leftPercent: 21, atRisk: false });
  });

  it('flags a task due within 4 business hours across a weekend: 3 h 59 min ahead is, 4 h 01 min is not', () => {
    // Friday 2026-03-13 15:00 EDT: 2 hours on Friday, then Monday from 09:00.
    const asOf = t('2026-03-13T15:00:00-04:00');
    expect(taskDueSoon(t('2026-03-16T10:59:00-04:00'), asOf, cal)).toBe(true);
    expect(taskDueSoon(t('2026-03-16T11:01:00-04:00'), asOf, cal)).toBe(false);
    // Already overdue: late, not at risk.
    expect(taskDueSoon(t('2026-03-13T14:59:00-04:00'), asOf, cal)).toBe(false);
  });
});
