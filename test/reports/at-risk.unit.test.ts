/**
 * The at-risk rule (docs/kpis.md, `at-risk`) in the New York business calendar (09:00–17:00,
 * Monday to Friday, US holidays): a pending goal with 19% of its window left is at risk and one
 * with 21% is not, the window counted in business time across the start of daylight-saving
 * time; a task due 3 h 59 min of business time ahead across a weekend is, 4 h 01 min is not.
 */
import { describe, expect, it } from 'vitest';
import { resolveCalendar } from '../../src/calendar/resolve.js';
import { goalWindow, taskDueSoon } from '../../src/reports/at-risk.js';
import { US_BUSINESS } from './fixture.js';

const cal = resolveCalendar(US_BUSINESS, { id: 'k', timezone: 'America/New_York' }, { from: 2025, to: 2027 });
const t = (local: string) => Date.parse(local);

describe('the at-risk window rule', () => {
  // Anchored Monday 2026-03-02 09:00 EST, 10 business days: the deadline is Monday 2026-03-16
  // 09:00 EDT, a window of 80 business hours; 20% of it is 16 hours.
  const since = t('2026-03-02T09:00:00-05:00');
  const tenDays = { amount: 10, unit: 'business day' } as const;

  it('flags a pending goal with 19% of its window left, not one with 21%', () => {
    // 15 h 12 min left (19%): Thursday 03-12 09:48 to 17:00 (7 h 12 min) and Friday (8 h).
    expect(goalWindow(since, tenDays, t('2026-03-12T09:48:00-04:00'), cal)).toEqual({
      deadline: t('2026-03-16T09:00:00-04:00'),
      leftPercent: 19,
      atRisk: true,
    });
    // 16 h 48 min left (21%): Wednesday 03-11 16:12 to 17:00, Thursday and Friday.
    expect(goalWindow(since, tenDays, t('2026-03-11T16:12:00-04:00'), cal)).toEqual({
      deadline: t('2026-03-16T09:00:00-04:00'),
      leftPercent: 21,
      atRisk: false,
    });
  });

  it('leaves out a goal whose deadline has passed (it is missed) and one not yet anchored', () => {
    expect(goalWindow(since, tenDays, t('2026-03-16T09:00:00-04:00'), cal).atRisk).toBe(false);
    expect(goalWindow(since, tenDays, t('2026-03-01T09:00:00-05:00'), cal).atRisk).toBe(false);
  });

  it('counts a goal of plain days in elapsed time', () => {
    // 30 days from 03-02 09:00 EST: 720 hours; 19% left is 136.8 hours before the deadline.
    const thirty = { amount: 30, unit: 'day' } as const;
    const { deadline } = goalWindow(since, thirty, since, cal);
    expect(goalWindow(since, thirty, deadline - 136.8 * 3_600_000, cal)).toMatchObject({ leftPercent: 19, atRisk: true });
    expect(goalWindow(since, thirty, deadline - 151.2 * 3_600_000, cal)).toMatchObject({ leftPercent: 21, atRisk: false });
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
